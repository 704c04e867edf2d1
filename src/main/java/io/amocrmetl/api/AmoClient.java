package io.amocrmetl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way the product speaks to amoCRM (docs/api-client.md). Spark-free: the reader and the
 * jobs build on it. One instance per account and JVM is enough; it is thread-safe.
 *
 * <p>OkHttp's own silent retry on connection failure is off: every attempt must pass the rate
 * limiter, or a hidden retry could be the request that gets the account blocked.
 */
public final class AmoClient {
    private static final Logger LOG = LoggerFactory.getLogger(AmoClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> UNLIMITED_WARNED = ConcurrentHashMap.newKeySet();
    private static final ConnectionPool POOL = new ConnectionPool(8, 5, TimeUnit.MINUTES);

    private final ClientSettings settings;
    private final AuthProvider auth;
    private final RateLimiter limiter;
    private final ClientMetrics metrics = new ClientMetrics();
    private final CallExecutor calls;
    private final boolean[] formTokenBody = {false};
    private final AuthProvider.TokenEndpoint tokenEndpoint;

    public AmoClient(ClientSettings settings, AuthProvider auth) {
        this(
                settings,
                auth,
                settings.unlimited()
                        ? new RateLimiter(0, 0)
                        : RateLimiter.shared(
                                settings.baseUrl(), settings.requestsPerSecond(), settings.rateMarginMillis()));
    }

    /** A client for the configured account: its settings and its way to authenticate. */
    public static AmoClient connect(AmoSettings amo, Clock clock) {
        return new AmoClient(ClientSettings.from(amo), AuthProvider.of(amo, clock));
    }

    /** With a limiter of its own: an executor's whole-number share of the budget. */
    public AmoClient(ClientSettings settings, AuthProvider auth, RateLimiter limiter) {
        this.settings = settings;
        this.auth = auth;
        this.limiter = limiter;
        if (settings.unlimited() && UNLIMITED_WARNED.add(settings.baseUrl())) {
            LOG.warn(
                    "amocrm.rate-limit.unlimited is on for {}: requests are not rate-limited (loopback only)",
                    settings.baseUrl());
        }
        OkHttpClient http = new OkHttpClient.Builder()
                .connectionPool(POOL)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .build();
        this.calls = new CallExecutor(http, settings, limiter, metrics);
        this.tokenEndpoint = grant -> calls.token(grant, formTokenBody);
    }

    /** One page of a list as read: its next link (null at the end) and how many items it held. */
    public record ListPage(String next, int items) {
        /** An empty page (HTTP 204, docs/amocrm-api.md §3.3). */
        public boolean empty() {
            return items == 0 && next == null;
        }
    }

    /**
     * Reads a list page by page, following {@code _links.next.href} until a 204 or a page with no
     * next link (docs/amocrm-api.md §3.2, §3.3), streaming items to the consumer.
     *
     * @return the number of items delivered
     */
    public long walk(ListRequest request, PageConsumer consumer) {
        String pathAndQuery = request.pathAndQuery();
        long total = 0;
        long[] previous = {0, -1};
        for (int page = 1; pathAndQuery != null; page++) {
            ListPage out = page(request, pathAndQuery, page, consumer, previous);
            total += out.items();
            pathAndQuery = out.next();
        }
        return total;
    }

    /**
     * Reads one page of a list: {@code pathAndQuery} is the request's first page or a next link
     * (path and query). Items stream to the consumer; if the page fails for good (retries spent,
     * a broken page check, auth, a block) the consumer's {@code abortPage} is called before the
     * exception leaves, so it never keeps a part of a page.
     *
     * @param previous {hash, items} of the page before, for the "page repeats itself" check;
     *                 updated in place (pass {0, -1} for a first page)
     */
    public ListPage page(ListRequest request, String pathAndQuery, int page, PageConsumer consumer, long[] previous) {
        PageCheck check = request.check();
        String what = AmoApiException.describe("GET", pathAndQuery, page);
        consumer.beginPage(page);
        PageReader.Outcome out;
        try {
            out = calls.call(
                    "GET",
                    pathAndQuery,
                    page,
                    auth,
                    tokenEndpoint,
                    token -> get(pathAndQuery, token, request),
                    (resp, body) ->
                            resp.code() == 204 ? null : PageReader.read(body, request.embedded, consumer, check, what),
                    () -> {
                        consumer.abortPage(page);
                        consumer.beginPage(page);
                    });
        } catch (RuntimeException e) {
            consumer.abortPage(page);
            throw e;
        }
        metrics.pages.incrementAndGet();
        if (out == null) {
            consumer.endPage(page, 0);
            return new ListPage(null, 0);
        }
        if (out.items() > 0 && out.items() == previous[1] && out.idsHash() == previous[0]) {
            consumer.abortPage(page);
            throw new AmoApiException(
                    ExitCode.UNEXPECTED,
                    what + " repeats the previous page item for item: the "
                            + "server ignores paging, so the walk stopped instead of looping.",
                    200);
        }
        previous[0] = out.idsHash();
        previous[1] = out.items();
        consumer.endPage(page, out.items());
        return new ListPage(out.next() == null ? null : relative(out.next(), what), out.items());
    }

    /** A small JSON object (the account, one entity); null for 204. Not for lists. */
    public JsonNode getObject(String pathAndQuery) {
        return calls.call(
                "GET",
                pathAndQuery,
                0,
                auth,
                tokenEndpoint,
                token -> get(pathAndQuery, token, null),
                (resp, body) -> resp.code() == 204 ? null : MAPPER.readTree(body),
                null);
    }

    /**
     * A JSON request that writes (the webhooks API, docs/amocrm-api.md §6.1): the answer, or null for 204.
     * Only for calls that are safe to repeat, as retries repeat them: subscribing and unsubscribing
     * are idempotent by destination.
     */
    public JsonNode send(String method, String path, JsonNode body) {
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return calls.call(
                method,
                path,
                0,
                auth,
                tokenEndpoint,
                token -> {
                    Request.Builder b = new Request.Builder()
                            .url(settings.baseUrl() + path)
                            .method(method, okhttp3.RequestBody.create(json, CallExecutor.JSON));
                    if (token != null) {
                        b.header("Authorization", "Bearer " + token);
                    }
                    return b.build();
                },
                (resp, in) -> resp.code() == 204 ? null : MAPPER.readTree(in),
                null);
    }

    /** The token endpoint, rate-limited like every call (for `auth exchange`). */
    public AuthProvider.TokenEndpoint tokenEndpoint() {
        return tokenEndpoint;
    }

    public ClientMetrics metrics() {
        return metrics;
    }

    /** This client's limiter (the JVM's shared one on the driver). */
    public RateLimiter limiter() {
        return limiter;
    }

    /** Time callers waited on the rate limiter, in milliseconds. */
    public long limiterWaitMillis() {
        return limiter.waitedNanos() / 1_000_000;
    }

    /** The server's clock at the first response (window ends come from it: docs/lakehouse.md). */
    public Instant firstServerDate() {
        return calls.firstServerDate();
    }

    /** The server's clock at the latest response (null before any). */
    public Instant lastServerDate() {
        return calls.lastServerDate();
    }

    public BlockState blockState() {
        return calls.block();
    }

    private Request get(String pathAndQuery, String token, ListRequest request) {
        Request.Builder b =
                new Request.Builder().url(settings.baseUrl() + pathAndQuery).get();
        if (request != null) {
            request.headers().forEach(b::header);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    /**
     * The next link's path and query, sent to our own base URL: the token never follows a link to
     * another host, and a link that names the account by another hostname still works.
     */
    private String relative(String next, String what) {
        URI uri;
        try {
            uri = URI.create(next);
        } catch (IllegalArgumentException e) {
            throw new AmoApiException(ExitCode.UNEXPECTED, what + ": the next link is not a URL", 200);
        }
        if (uri.getHost() != null
                && !uri.getHost()
                        .equalsIgnoreCase(URI.create(settings.baseUrl()).getHost())) {
            LOG.debug(
                    "{}: the next link names host {}; following its path on {}",
                    what,
                    uri.getHost(),
                    settings.baseUrl());
        }
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    @Override
    public String toString() {
        return "AmoClient[" + settings.baseUrl() + ", " + auth + "]";
    }
}
