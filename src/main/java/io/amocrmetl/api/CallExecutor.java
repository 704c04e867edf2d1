package io.amocrmetl.api;

import com.fasterxml.jackson.databind.JsonNode;
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
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one logical request with everything amoCRM demands around it (docs/amocrm-api.md §5): the
 * persisted block checked first, a rate-limiter slot per attempt (token calls too), a fresh token,
 * backoff with jitter on 429 (at least retry_after), 5xx, timeouts, resets and cut bodies, one
 * refresh on 401, and the 403 HTML block recorded so that no process sends before it ends. What
 * an error answer means is {@link ErrorAnswers}'s to say; this class owns the attempts.
 */
final class CallExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(CallExecutor.class);
    static final MediaType JSON = MediaType.get("application/json");
    /** How long a block lasts when the server does not say (one hour: docs/api-client.md). */
    static final Duration DEFAULT_BLOCK = Duration.ofHours(1);

    private final OkHttpClient http;
    private final ClientSettings settings;
    private final RateLimiter limiter;
    private final BlockState block;
    private final HostLedger ledger;
    private final long windowMillis;
    private final long holdMillis;
    private final ClientMetrics metrics;
    private final ServerDates serverDates = new ServerDates();
    private final ErrorAnswers errors;
    private final TokenRequests tokenRequests;

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
        this.block = BlockState.of(settings);
        this.ledger =
                settings.unlimited() ? null : HostLedger.at(settings.rateScope().ledger(settings.baseUrl()));
        this.windowMillis = RateLimiter.windowMillis(settings.rateMarginMillis());
        // A slot whose process died frees itself once its request could no longer be in flight.
        // The read timeout bounds each read, not the whole answer: allow two.
        this.holdMillis = settings.connectTimeout().toMillis()
                + 2 * settings.readTimeout().toMillis()
                + windowMillis;
        this.metrics = metrics;
        this.errors = new ErrorAnswers(block, metrics);
        this.tokenRequests = new TokenRequests(this, settings);
    }

    Instant firstServerDate() {
        return serverDates.first();
    }

    Instant lastServerDate() {
        return serverDates.last();
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
    <T> T call(
            String method,
            String pathAndQuery,
            int page,
            AuthProvider auth,
            AuthProvider.TokenEndpoint tokens,
            RequestFactory request,
            BodyHandler<T> handler,
            Runnable onRetry) {
        String what = AmoApiException.describe(method, pathAndQuery, page);
        RetryPolicy retry = settings.retry();
        Duration waited = Duration.ZERO;
        boolean refreshed = false;
        for (int attempt = 1; ; attempt++) {
            throwIfBlocked();
            waited = waited.plus(coolDown(what, retry, waited));
            String token = auth == null ? null : auth.accessToken(tokens);
            int slot = acquire();
            HostLedger.Held hostSlot;
            try {
                hostSlot = acquireHost();
                // The waits above may have outlasted a block another process met meanwhile.
                throwIfBlocked();
            } catch (RuntimeException e) {
                limiter.answered(slot);
                throw e;
            }
            metrics.requests.incrementAndGet();
            Duration retryAfter = null;
            String failure = null;
            int status = 0;
            Response answer;
            try {
                answer = http.newCall(request.build(token)).execute();
            } catch (IOException e) {
                answer = null;
                failure = noAnswer(e);
            } finally {
                // The request reached amoCRM by now, if ever: its slot counts a window from here (RateLimiter).
                limiter.answered(slot);
                answeredHost(hostSlot);
            }
            if (answer != null) {
                try (Response resp = answer) {
                    status = resp.code();
                    serverDates.observe(resp, what);
                    if (status >= 200 && status < 300) {
                        InputStream body = new CountingStream(resp.body().byteStream(), metrics);
                        try {
                            return handler.handle(resp, status == 204 ? InputStream.nullInputStream() : body);
                        } catch (IOException e) {
                            failure = "the response body broke off or is not valid JSON ("
                                    + e.getClass().getSimpleName() + ": " + Redaction.text(e.getMessage()) + ")";
                        }
                    } else {
                        String text = resp.body().string();
                        metrics.bytes.addAndGet(text.length());
                        if (status == 401 && auth != null && !refreshed && auth.refreshAfter401(token, tokens)) {
                            refreshed = true;
                            metrics.refreshes.incrementAndGet();
                            attempt--;
                            continue;
                        }
                        ErrorAnswers.Retryable judged = errors.judge(
                                what,
                                pathAndQuery,
                                status,
                                new ErrorAnswers.Headers(
                                        resp.header("Content-Type", ""),
                                        resp.header("Retry-After"),
                                        resp.header("Date")),
                                text);
                        failure = judged.failure();
                        retryAfter = judged.retryAfter();
                    }
                } catch (IOException e) {
                    failure = noAnswer(e);
                }
            }
            Duration delay = retry.delay(
                    attempt, retryAfter, () -> ThreadLocalRandom.current().nextDouble());
            if (retryAfter != null) {
                // Every caller of this limiter holds back, whether or not this one retries: a 429 on
                // a last attempt must still stop the others (docs/amocrm-api.md §5.2: repeated 429s block),
                // and so does every process on this host, a scheduler's retry of this run included.
                limiter.pauseUntil(System.nanoTime() + delay.toNanos());
                // The server's wait, not this thread's backoff, is what every other process must honour.
                Duration serverWait = retryAfter.compareTo(RetryPolicy.MAX_RETRY_AFTER) < 0
                        ? retryAfter
                        : RetryPolicy.MAX_RETRY_AFTER;
                block.coolDown(Instant.now().plus(serverWait));
            }
            if (!retry.allows(attempt, waited, delay) && retryAfter != null) {
                Instant resume = Instant.now().plus(delay);
                throw new AmoApiException(
                        ExitCode.BLOCKED,
                        what + ": " + failure + "; amoCRM asks for no request before " + resume
                                + ", past this run's retry budget: run again after then (recorded in "
                                + block.coolDownFile() + ")",
                        status);
            }
            if (!retry.allows(attempt, waited, delay)) {
                throw new AmoApiException(
                        ExitCode.UNEXPECTED, what + " failed after " + attempt + " attempts: " + failure, status);
            }
            LOG.warn(
                    "{}: {}; retrying in {} ms (attempt {} of {})",
                    what,
                    failure,
                    delay.toMillis(),
                    attempt + 1,
                    retry.maxAttempts());
            metrics.retries.incrementAndGet();
            if (onRetry != null) {
                onRetry.run();
            }
            sleep(delay);
            waited = waited.plus(delay);
        }
    }

    /** A block recorded by any process of this host stops the request before it is sent. */
    private void throwIfBlocked() {
        Instant until = block.blockedUntil(Instant.now());
        if (until != null) {
            throw new BlockedException(
                    "amoCRM blocked this caller; no request is sent before " + until + " (recorded in " + block.file()
                            + "). Ask amoCRM support to lift the block if it persists.",
                    until);
        }
    }

    /**
     * Waits out a 429's pause recorded by any process on this host; exit 4 naming its end when it
     * outlasts the retry budget. Returns how long it waited.
     */
    private Duration coolDown(String what, RetryPolicy retry, Duration waited) {
        Instant until = block.coolDownUntil(Instant.now());
        if (until == null) {
            return Duration.ZERO;
        }
        Duration rest = Duration.between(Instant.now(), until);
        if (waited.plus(rest).compareTo(retry.maxTotalWait()) > 0) {
            throw new AmoApiException(
                    ExitCode.BLOCKED,
                    what + ": not sent: amoCRM asked for no request before " + until + " (a 429, recorded in "
                            + block.coolDownFile() + "), past this run's retry budget: run again after then",
                    429);
        }
        LOG.warn(
                "{}: amoCRM asked for no request before {} (a 429, recorded in {}): waiting",
                what,
                until,
                block.coolDownFile());
        sleep(rest);
        return rest;
    }

    /** POSTs a grant to the token endpoint (see {@link TokenRequests}). */
    JsonNode token(Map<String, String> grant, boolean[] formFirst) {
        return tokenRequests.post(grant, formFirst);
    }

    /** A slot of the host's budget (every process on this host), or null with no limit. */
    private HostLedger.Held acquireHost() {
        if (ledger == null) {
            return null;
        }
        try {
            return ledger.acquire(settings.requestsPerSecond(), holdMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmoApiException(ExitCode.UNEXPECTED, "interrupted while waiting for the host's budget", 0, e);
        }
    }

    /** Frees the host slot; a failure here must not hide the answer (the slot frees itself after its hold). */
    private void answeredHost(HostLedger.Held held) {
        if (held == null) {
            return;
        }
        try {
            ledger.answered(held, windowMillis);
        } catch (RuntimeException e) {
            LOG.warn("could not free a slot of the host's request ledger: {}", e.toString());
        }
    }

    private int acquire() {
        try {
            return limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmoApiException(ExitCode.UNEXPECTED, "interrupted while waiting for the rate limiter", 0, e);
        }
    }

    private static String noAnswer(IOException e) {
        return "no answer (" + e.getClass().getSimpleName() + ": " + Redaction.text(e.getMessage()) + ")";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmoApiException(ExitCode.UNEXPECTED, "interrupted while backing off", 0, e);
        }
    }
}
