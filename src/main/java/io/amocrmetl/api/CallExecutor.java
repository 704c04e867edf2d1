package io.amocrmetl.api;

import io.amocrmetl.catalog.Tables;
import java.time.format.DateTimeParseException;
import java.time.format.DateTimeFormatter;
import java.time.ZonedDateTime;
import java.io.FilterInputStream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one logical request with everything amoCRM demands around it (docs/amocrm-api.md §5): the
 * persisted block checked first, a rate-limiter slot per attempt (token calls too), a fresh token,
 * backoff with jitter on 429 (at least retry_after), 5xx, timeouts, resets and cut bodies, one
 * refresh on 401, and the 403 HTML block recorded so that no process sends before it ends.
 */
final class CallExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(CallExecutor.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final MediaType JSON = MediaType.get("application/json");
    static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    /** How long a block lasts when the server does not say (one hour: docs/api-client.md). */
    static final Duration DEFAULT_BLOCK = Duration.ofHours(1);

    private final OkHttpClient http;
    private final ClientSettings settings;
    private final RateLimiter limiter;
    private final BlockState block;
    private final ClientMetrics metrics;
    private volatile Instant firstServerDate;
    private volatile Instant lastServerDate;

    /** What to do with a successful response; may throw IOException to retry (a cut body). */
    interface BodyHandler<T> {
        T handle(Response response, InputStream body) throws IOException;
    }

    /** The request of one attempt; the token is fresh for each. */
    interface RequestFactory {
        Request build(String token);
    }

    CallExecutor(OkHttpClient http, ClientSettings settings, RateLimiter limiter, ClientMetrics metrics) {
        this.http = http;
        this.settings = settings;
        this.limiter = limiter;
        this.block = new BlockState(settings.stateDir());
        this.metrics = metrics;
    }

    Instant firstServerDate() {
        return firstServerDate;
    }

    Instant lastServerDate() {
        return lastServerDate;
    }

    BlockState block() {
        return block;
    }

    /**
     * Runs the request until it succeeds or fails for good.
     *
     * @param auth null for the token endpoint itself
     * @param onRetry called before each retry (pages drop what they had)
     */
    <T> T call(String method, String pathAndQuery, int page, AuthProvider auth, AuthProvider.TokenEndpoint tokens,
               RequestFactory request, BodyHandler<T> handler, Runnable onRetry) {
        String what = AmoApiException.describe(method, pathAndQuery, page);
        RetryPolicy retry = settings.retry();
        Duration waited = Duration.ZERO;
        boolean refreshed = false;
        for (int attempt = 1; ; attempt++) {
            Instant until = block.blockedUntil(Instant.now());
            if (until != null) {
                throw new BlockedException("amoCRM blocked this caller; no request is sent before " + until
                        + " (recorded in " + block.file() + "). Ask amoCRM support to lift the block if it persists.", until);
            }
            String token = auth == null ? null : auth.accessToken(tokens);
            acquire();
            metrics.requests.incrementAndGet();
            Duration retryAfter = null;
            String failure;
            int status = 0;
            try (Response resp = http.newCall(request.build(token)).execute()) {
                status = resp.code();
                if (resp.header("Date") != null) {
                    try {
                        lastServerDate = ZonedDateTime.parse(resp.header("Date"),
                                DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                        if (firstServerDate == null) {
                            firstServerDate = lastServerDate;
                        }
                    } catch (DateTimeParseException e) {
                        LOG.debug("{}: unparseable Date header {}", what, resp.header("Date"));
                    }
                }
                if (status >= 200 && status < 300) {
                    InputStream body = new CountingStream(resp.body().byteStream(), metrics);
                    try {
                        return handler.handle(resp, status == 204 ? InputStream.nullInputStream() : body);
                    } catch (IOException e) {
                        failure = "the response body broke off or is not valid JSON (" + e.getClass().getSimpleName()
                                + ": " + Redaction.text(e.getMessage()) + ")";
                    }
                } else {
                    String text = resp.body().string();
                    metrics.bytes.addAndGet(text.length());
                    String type = resp.header("Content-Type", "");
                    boolean problem = type.contains("json");
                    JsonNode json = problem ? parse(text) : null;
                    String detail = json == null ? "" : ": " + Redaction.text(json.path("detail").asText(json.path("title").asText("")));
                    switch (status) {
                        case 401 -> {
                            if (auth != null && !refreshed && auth.refreshAfter401(token, tokens)) {
                                refreshed = true;
                                metrics.refreshes.incrementAndGet();
                                attempt--;
                                continue;
                            }
                            throw new AmoApiException(ExitCode.AUTH, what + " answered 401 Unauthorized" + detail
                                    + ". The token expired or was revoked: connect again (`auth url`, `auth exchange`) "
                                    + "or issue a new long-lived token.", 401);
                        }
                        case 402 -> throw new AmoApiException(pathAndQuery.contains(Tables.CUSTOMERS) ? ExitCode.BAD_CONFIG
                                : ExitCode.UNEXPECTED, what + " answered 402 Payment Required" + detail
                                + (pathAndQuery.contains(Tables.CUSTOMERS) ? ". The plan has no customers: set "
                                + "tables.customers.enabled = false." : ". The account's paid period is over."), 402);
                        case 403 -> {
                            if (!problem) {
                                Instant blockedUntil = Instant.now().plus(DEFAULT_BLOCK);
                                block.block(blockedUntil);
                                throw new BlockedException(what + " answered 403 with an HTML page: amoCRM blocked this "
                                        + "caller for too many requests (docs/amocrm-api.md §5.2). No request is sent before "
                                        + blockedUntil + " (recorded in " + block.file() + ").", blockedUntil);
                            }
                            throw new AmoApiException(ExitCode.AUTH, what + " answered 403 Forbidden" + detail
                                    + ". The connected user lacks a permission (an admin must connect).", 403);
                        }
                        case 429 -> {
                            metrics.tooManyRequests.incrementAndGet();
                            long seconds = json == null ? 0 : json.path("retry_after").asLong(0);
                            retryAfter = Duration.ofSeconds(seconds > 0 ? seconds : 1);
                            failure = "429 Too Many Requests (retry_after " + seconds + " s)";
                        }
                        default -> {
                            if (status < 500) {
                                throw new AmoApiException(ExitCode.UNEXPECTED, what + " answered " + status + detail, status);
                            }
                            failure = "answered " + status + detail;
                        }
                    }
                }
            } catch (IOException e) {
                failure = "no answer (" + e.getClass().getSimpleName() + ": " + Redaction.text(e.getMessage()) + ")";
            }
            Duration delay = retry.delay(attempt, retryAfter, () -> ThreadLocalRandom.current().nextDouble());
            if (retryAfter != null) {
                // Every caller of this limiter holds back, whether or not this one retries: a 429 on
                // a last attempt must still stop the others (docs/amocrm-api.md §5.2: repeated 429s block).
                limiter.pauseUntil(System.nanoTime() + delay.toNanos());
            }
            if (!retry.allows(attempt, waited, delay)) {
                throw new AmoApiException(ExitCode.UNEXPECTED, what + " failed after " + attempt + " attempts: " + failure,
                        status);
            }
            LOG.warn("{}: {}; retrying in {} ms (attempt {} of {})", what, failure, delay.toMillis(), attempt + 1,
                    retry.maxAttempts());
            metrics.retries.incrementAndGet();
            if (onRetry != null) {
                onRetry.run();
            }
            sleep(delay);
            waited = waited.plus(delay);
        }
    }

    /** POSTs a grant to the token endpoint: JSON as the docs show, or a form if JSON is refused (docs/amocrm-api.md §9.11). */
    JsonNode token(Map<String, String> grant, boolean[] formFirst) {
        for (int round = 0; round < 2; round++) {
            boolean form = formFirst[0] ^ (round == 1);
            try {
                return call("POST", "/oauth2/access_token", 0, null, null, t -> new Request.Builder()
                        .url(settings.baseUrl() + "/oauth2/access_token")
                        .post(form ? formBody(grant) : RequestBody.create(json(grant), JSON)).build(),
                        (resp, body) -> MAPPER.readTree(body), null);
            } catch (AmoApiException e) {
                if (e.status() != 400 || round == 1) {
                    throw e;
                }
                formFirst[0] = !form;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static RequestBody formBody(Map<String, String> grant) {
        okhttp3.FormBody.Builder b = new okhttp3.FormBody.Builder();
        grant.forEach(b::add);
        return b.build();
    }

    private static byte[] json(Map<String, String> grant) {
        try {
            return MAPPER.writeValueAsBytes(grant);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void acquire() {
        try {
            limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmoApiException(ExitCode.UNEXPECTED, "interrupted while waiting for the rate limiter", 0, e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmoApiException(ExitCode.UNEXPECTED, "interrupted while backing off", 0, e);
        }
    }

    /** Counts response bytes for the journal as the parser reads them. */
    private static final class CountingStream extends FilterInputStream {
        private final ClientMetrics metrics;

        CountingStream(InputStream in, ClientMetrics metrics) {
            super(in);
            this.metrics = metrics;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                metrics.bytes.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                metrics.bytes.addAndGet(n);
            }
            return n;
        }
    }
}
