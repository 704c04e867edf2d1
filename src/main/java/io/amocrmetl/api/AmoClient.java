package io.amocrmetl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.cli.ExitCode;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way the product speaks to amoCRM (issue "API client"). Spark-free: the reader and the
 * jobs build on it. One instance per account and JVM is enough; it is thread-safe.
 *
 * <p>OkHttp's own silent retry on connection failure is off: every attempt must pass the rate
 * limiter, or a hidden retry could be the request that gets the account blocked.
 */
public final class AmoClient {
    private static final Logger LOG = LoggerFactory.getLogger(AmoClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ConnectionPool POOL = new ConnectionPool(8, 5, TimeUnit.MINUTES);

    private final ClientSettings settings;
    private final AuthProvider auth;
    private final RateLimiter limiter;
    private final ClientMetrics metrics = new ClientMetrics();
    private final CallExecutor calls;
    private final boolean[] formTokenBody = {false};
    private final AuthProvider.TokenEndpoint tokenEndpoint;

    public AmoClient(ClientSettings settings, AuthProvider auth) {
        this(settings, auth, settings.unlimited() ? new RateLimiter(0, 0)
                : RateLimiter.shared(settings.baseUrl(), settings.requestsPerSecond(), settings.rateMarginMillis()));
    }

    /** With a limiter of its own: an executor's whole-number share of the budget. */
    public AmoClient(ClientSettings settings, AuthProvider auth, RateLimiter limiter) {
        this.settings = settings;
        this.auth = auth;
        this.limiter = limiter;
        if (settings.unlimited()) {
            LOG.warn("amocrm.rate-limit.unlimited is on for {}: requests are not rate-limited (loopback only)",
                    settings.baseUrl());
        }
        OkHttpClient http = new OkHttpClient.Builder().connectionPool(POOL).retryOnConnectionFailure(false)
                .followRedirects(false).connectTimeout(settings.connectTimeout()).readTimeout(settings.readTimeout())
                .build();
        this.calls = new CallExecutor(http, settings, limiter, metrics);
        this.tokenEndpoint = grant -> calls.token(grant, formTokenBody);
    }

    /**
     * Reads a list page by page, following {@code _links.next.href} until a 204 or a page with no
     * next link (reference §3.2, §3.3), streaming items to the consumer.
     *
     * @return the number of items delivered
     */
    public long walk(ListRequest request, PageConsumer consumer) {
        PageCheck check = request.check();
        String pathAndQuery = request.pathAndQuery();
        long total = 0;
        long previousHash = 0;
        int previousItems = -1;
        for (int page = 1; pathAndQuery != null; page++) {
            final int pageNo = page;
            final String current = pathAndQuery;
            String what = AmoApiException.describe("GET", current, page);
            consumer.beginPage(page);
            PageReader.Outcome out = calls.call("GET", current, page, auth, tokenEndpoint,
                    token -> get(current, token),
                    (resp, body) -> resp.code() == 204 ? null : PageReader.read(body, request.embedded, consumer, check, what),
                    () -> {
                        consumer.abortPage(pageNo);
                        consumer.beginPage(pageNo);
                    });
            metrics.pages.incrementAndGet();
            if (out == null) {
                consumer.endPage(page, 0);
                break;
            }
            if (out.items() > 0 && out.items() == previousItems && out.idsHash() == previousHash) {
                consumer.abortPage(page);
                throw new AmoApiException(ExitCode.UNEXPECTED, what + " repeats the previous page item for item: the "
                        + "server ignores paging, so the walk stopped instead of looping.", 200);
            }
            consumer.endPage(page, out.items());
            total += out.items();
            previousHash = out.idsHash();
            previousItems = out.items();
            pathAndQuery = out.next() == null ? null : relative(out.next(), what);
        }
        return total;
    }

    /** A small JSON object (the account, one entity); null for 204. Not for lists. */
    public JsonNode getObject(String pathAndQuery) {
        return calls.call("GET", pathAndQuery, 0, auth, tokenEndpoint, token -> get(pathAndQuery, token),
                (resp, body) -> resp.code() == 204 ? null : MAPPER.readTree(body), null);
    }

    /** The token endpoint, rate-limited like every call (for `auth exchange`). */
    public AuthProvider.TokenEndpoint tokenEndpoint() {
        return tokenEndpoint;
    }

    public ClientMetrics metrics() {
        return metrics;
    }

    /** Time callers waited on the rate limiter, in milliseconds. */
    public long limiterWaitMillis() {
        return limiter.waitedNanos() / 1_000_000;
    }

    /** The server's clock at the first response (DESIGN.md: window ends come from it). */
    public Instant firstServerDate() {
        return calls.firstServerDate();
    }

    public BlockState blockState() {
        return calls.block();
    }

    private Request get(String pathAndQuery, String token) {
        Request.Builder b = new Request.Builder().url(settings.baseUrl() + pathAndQuery).get();
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
        if (uri.getHost() != null && !uri.getHost().equalsIgnoreCase(URI.create(settings.baseUrl()).getHost())) {
            LOG.debug("{}: the next link names host {}; following its path on {}", what, uri.getHost(), settings.baseUrl());
        }
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    @Override
    public String toString() {
        return "AmoClient[" + settings.baseUrl() + ", " + auth + "]";
    }
}
