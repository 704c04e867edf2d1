package io.amocrmetl.api;

import io.amocrmetl.core.ExitCode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the client talks to one account, resolved once and validated.
 *
 * @param baseUrl the account URL, e.g. https://example.amocrm.ru (HTTPS unless loopback)
 * @param requestsPerSecond the rate budget, 1..7 (DESIGN.md {@code amocrm.rate-limit.requests-per-second})
 * @param unlimited no limiter at all; honoured only for loopback URLs (benchmarks)
 * @param rateMarginMillis added to the 1 s window, for arrival jitter
 * @param stateDir where {@code blocked_until} lives (beside the token store)
 */
public record ClientSettings(String baseUrl, int requestsPerSecond, boolean unlimited, long rateMarginMillis,
                             Path stateDir, Duration connectTimeout, Duration readTimeout, RetryPolicy retry) {

    public ClientSettings {
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new AmoApiException(ExitCode.BAD_CONFIG, "amocrm.base-url is not a URL: " + baseUrl, 0);
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new AmoApiException(ExitCode.BAD_CONFIG, "amocrm.base-url needs a scheme and host, e.g. "
                    + "https://example.amocrm.ru; got " + baseUrl, 0);
        }
        boolean loopback = isLoopback(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new AmoApiException(ExitCode.BAD_CONFIG, "amocrm.base-url must use https (plain http only on loopback): "
                    + baseUrl, 0);
        }
        if (unlimited && !loopback) {
            throw new AmoApiException(ExitCode.BAD_CONFIG, "amocrm.rate-limit.unlimited is allowed only for a loopback "
                    + "base-url: amoCRM blocks callers that exceed 7 requests/s", 0);
        }
        if (!unlimited && (requestsPerSecond < 1 || requestsPerSecond > 7)) {
            throw new AmoApiException(ExitCode.BAD_CONFIG, "amocrm.rate-limit.requests-per-second must be 1..7 "
                    + "(amoCRM's limit is 7, reference §5.1); got " + requestsPerSecond, 0);
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /**
     * Defaults: a 50 ms margin on the 1 s window, 10 s connect and 60 s read timeouts. The margin
     * absorbs send-to-arrival jitter; with the default budget of 6 one below amoCRM's 7, the
     * server sees an 8th request in a second only if arrivals bunch by about 300 ms.
     */
    public static ClientSettings of(String baseUrl, int requestsPerSecond, Path stateDir) {
        return new ClientSettings(baseUrl, requestsPerSecond, false, 50, stateDir, Duration.ofSeconds(10),
                Duration.ofSeconds(60), RetryPolicy.defaults());
    }

    public ClientSettings withRetry(RetryPolicy r) {
        return new ClientSettings(baseUrl, requestsPerSecond, unlimited, rateMarginMillis, stateDir, connectTimeout, readTimeout, r);
    }

    public ClientSettings withUnlimited(boolean u) {
        return new ClientSettings(baseUrl, requestsPerSecond, u, rateMarginMillis, stateDir, connectTimeout, readTimeout, retry);
    }

    public ClientSettings withReadTimeout(Duration d) {
        return new ClientSettings(baseUrl, requestsPerSecond, unlimited, rateMarginMillis, stateDir, connectTimeout, d, retry);
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }
}
