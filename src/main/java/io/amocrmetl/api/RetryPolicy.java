package io.amocrmetl.api;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When and how long to wait before trying a request again: exponential backoff with full jitter
 * for 5xx, timeouts and resets; at least {@code retry_after} for 429 (capped at amoCRM's 300 s,
 * docs/amocrm-api.md §5.2); and a bound on attempts and on the total time spent waiting.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxTotalWait) {
    /** amoCRM's documented retry_after; a larger value is treated as this (docs/amocrm-api.md §5.2). */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(300);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(20));
    }

    /**
     * The wait before attempt {@code attempt + 1} after a failed attempt {@code attempt} (1-based).
     *
     * @param retryAfter the server's retry_after, or null
     * @param random a value in [0, 1) for the jitter
     */
    public Duration delay(int attempt, Duration retryAfter, DoubleSupplier random) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() * (1L << Math.min(20, attempt - 1)));
        long jittered = cap / 2 + (long) (random.getAsDouble() * (cap - cap / 2));
        if (retryAfter != null) {
            long server = Math.min(retryAfter.toMillis(), MAX_RETRY_AFTER.toMillis());
            // A little over retry_after, so this attempt does not arrive just before the server's edge.
            return Duration.ofMillis(Math.max(server + (long) (random.getAsDouble() * 250), jittered));
        }
        return Duration.ofMillis(jittered);
    }

    /** Whether another attempt is allowed after {@code attempt} failures and {@code waited} so far. */
    public boolean allows(int attempt, Duration waited, Duration nextDelay) {
        return attempt < maxAttempts && waited.plus(nextDelay).compareTo(maxTotalWait) <= 0;
    }
}
