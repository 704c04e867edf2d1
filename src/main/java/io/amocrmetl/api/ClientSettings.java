package io.amocrmetl.api;

import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.core.AccountUrl;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the client talks to one account, resolved once and validated.
 *
 * @param baseUrl the account URL, e.g. https://example.amocrm.ru (HTTPS unless loopback)
 * @param requestsPerSecond the rate budget, 1..7 (docs/configuration.md, {@code amocrm.rate-limit.requests-per-second})
 * @param unlimited no limiter at all; honoured only for loopback URLs (benchmarks)
 * @param rateMarginMillis added to the 1 s window, for arrival jitter
 * @param stateDir where {@code blocked_until} lives (beside the token store)
 * @param rateScope whose budget the requests draw on: the host's ledger (docs/api-client.md)
 */
public record ClientSettings(
        String baseUrl,
        int requestsPerSecond,
        boolean unlimited,
        long rateMarginMillis,
        Path stateDir,
        Duration connectTimeout,
        Duration readTimeout,
        RetryPolicy retry,
        RateScope rateScope) {

    public ClientSettings {
        try {
            AccountUrl.check(baseUrl, unlimited);
        } catch (EtlException e) {
            throw new AmoApiException(ExitCode.BAD_CONFIG, e.getMessage(), 0);
        }
        if (!unlimited && (requestsPerSecond < 1 || requestsPerSecond > 7)) {
            throw new AmoApiException(
                    ExitCode.BAD_CONFIG,
                    "amocrm.rate-limit.requests-per-second must be 1..7 "
                            + "(amoCRM's limit is 7, docs/amocrm-api.md §5.1); got " + requestsPerSecond,
                    0);
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /**
     * Defaults: a 50 ms margin on the 1 s window, 10 s connect and 60 s read timeouts. The margin
     * absorbs send-to-arrival jitter; with the default budget of 6 one below amoCRM's 7, the
     * server sees an 8th request in a second only if arrivals bunch by about 300 ms.
     */
    public static ClientSettings of(String baseUrl, int requestsPerSecond, Path stateDir) {
        return new ClientSettings(
                baseUrl,
                requestsPerSecond,
                false,
                50,
                stateDir,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                RetryPolicy.defaults(),
                // Every client with this state folder draws on one budget, whatever process it is in.
                new RateScope(stateDir, true));
    }

    public ClientSettings withRetry(RetryPolicy r) {
        return new ClientSettings(
                baseUrl,
                requestsPerSecond,
                unlimited,
                rateMarginMillis,
                stateDir,
                connectTimeout,
                readTimeout,
                r,
                rateScope);
    }

    public ClientSettings withUnlimited(boolean u) {
        return new ClientSettings(
                baseUrl,
                requestsPerSecond,
                u,
                rateMarginMillis,
                stateDir,
                connectTimeout,
                readTimeout,
                retry,
                rateScope);
    }

    public ClientSettings withReadTimeout(Duration d) {
        return new ClientSettings(
                baseUrl, requestsPerSecond, unlimited, rateMarginMillis, stateDir, connectTimeout, d, retry, rateScope);
    }

    /** The client's settings from {@code amocrm.*}: URL, rate, timeouts, retries, and the token store's folder. */
    public static ClientSettings from(AmoSettings amo) {
        return new ClientSettings(
                amo.requireBaseUrl(),
                amo.unlimited() ? 7 : amo.requestsPerSecond(),
                amo.unlimited(),
                50,
                amo.stateDir(),
                amo.connectTimeout(),
                amo.readTimeout(),
                new RetryPolicy(amo.maxAttempts(), Duration.ofSeconds(1), Duration.ofSeconds(60), amo.maxTotalWait()),
                new RateScope(amo.rateLimitDir(), amo.rateLimitPerHost()));
    }

    static boolean isLoopback(String host) {
        return AccountUrl.isLoopback(host);
    }
}
