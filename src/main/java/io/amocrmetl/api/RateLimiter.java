package io.amocrmetl.api;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * At most N request starts in any sliding window (docs/api-client.md), shared by every thread of a
 * JVM that talks to one account. It keeps the last N start times: a new start may happen only a
 * window after the oldest of them. The window is one second plus a margin, because amoCRM counts
 * arrivals, not sends, and a send delayed on the way could land inside the next second. A 429
 * pauses every caller until its retry time.
 */
public final class RateLimiter {
    private static final Map<String, RateLimiter> SHARED = new ConcurrentHashMap<>();

    private final int perSecond;
    private final long windowNanos;
    private final long[] starts;
    private int next;
    private long pausedUntil = Long.MIN_VALUE;
    private long waitedNanos;

    /**
     * @param perSecond request starts allowed per window; 0 or less means unlimited
     * @param marginMillis added to the 1 s window
     */
    public RateLimiter(int perSecond, long marginMillis) {
        this.perSecond = perSecond;
        this.windowNanos = 1_000_000_000L + marginMillis * 1_000_000L;
        this.starts = new long[Math.max(1, perSecond)];
        Arrays.fill(starts, Long.MIN_VALUE);
    }

    /** The JVM's one limiter for an account (keyed by base URL), created on first use. */
    public static RateLimiter shared(String key, int perSecond, long marginMillis) {
        RateLimiter l = SHARED.computeIfAbsent(key, k -> new RateLimiter(perSecond, marginMillis));
        if (l.perSecond != perSecond) {
            throw new IllegalStateException(
                    "one JVM asked for two rates for " + key + ": " + l.perSecond + " and " + perSecond);
        }
        return l;
    }

    /**
     * The JVM's shared limiter for an account if code in this JVM (the driver) created it, else
     * null: a partition reader in the driver's JVM (local mode) must join it, not add its own.
     */
    public static RateLimiter existing(String key) {
        return SHARED.get(key);
    }

    /**
     * Splits a budget into whole per-second shares for {@code parts} concurrent readers: the sum
     * never exceeds the budget and no share is 0, so at most {@code budget} parts may run at once
     * (executor shares are whole requests per second: docs/api-client.md).
     */
    public static int[] shares(int budget, int parts) {
        int running = Math.min(parts, budget);
        int[] out = new int[running];
        for (int i = 0; i < running; i++) {
            out[i] = budget / running + (i < budget % running ? 1 : 0);
        }
        return out;
    }

    /**
     * Blocks until this caller may start a request, and records the start as "now".
     *
     * <p>A start is recorded only when its caller is about to send, never reserved ahead and
     * slept towards: under CPU pressure a sleeping thread can wake hundreds of milliseconds late,
     * and a start booked for the earlier time would then bunch with the next second's requests at
     * the server (the client-rate benchmark saw it before this design; docs/benchmarks.md).
     */
    public void acquire() throws InterruptedException {
        if (perSecond <= 0) {
            return;
        }
        long asked = System.nanoTime();
        while (true) {
            long sleep;
            synchronized (this) {
                long now = System.nanoTime();
                long oldest = starts[next];
                long earliest = oldest == Long.MIN_VALUE ? now : oldest + windowNanos;
                if (pausedUntil != Long.MIN_VALUE && pausedUntil - earliest > 0) {
                    earliest = pausedUntil;
                }
                if (now - earliest >= 0) {
                    starts[next] = now;
                    next = (next + 1) % starts.length;
                    waitedNanos += now - asked;
                    return;
                }
                sleep = earliest - now;
            }
            TimeUnit.NANOSECONDS.sleep(sleep);
        }
    }

    /** After a 429: nobody starts a request before {@code nanoTime}. */
    public synchronized void pauseUntil(long nanoTime) {
        if (pausedUntil == Long.MIN_VALUE || nanoTime - pausedUntil > 0) {
            pausedUntil = nanoTime;
        }
    }

    public int perSecond() {
        return perSecond;
    }

    /** Total time callers were held back, in nanoseconds (for the journal). */
    public synchronized long waitedNanos() {
        return waitedNanos;
    }
}
