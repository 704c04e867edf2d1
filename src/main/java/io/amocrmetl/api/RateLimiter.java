package io.amocrmetl.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * At most N requests in any sliding second as the server counts them, shared by every thread of a
 * JVM that talks to one account (docs/api-client.md#it-never-exceeds-the-rate).
 *
 * <p>amoCRM counts arrivals, and an arrival is only known to lie between the send and the answer:
 * on a loaded machine a request can leave late and land beside the next second's. So each of the
 * N slots is held from a request's start until one window after its answer (or failure) came back.
 * Then any N + 1 requests arriving within one second would need the last to start while the other
 * N still held their slots, which cannot happen: the bound holds whatever the delays.
 * A 429 pauses every caller until its retry time.
 */
public final class RateLimiter {
    private static final Map<String, RateLimiter> SHARED = new ConcurrentHashMap<>();
    /** What {@link #acquire()} returns when there is no limit; {@link #answered} ignores it. */
    public static final int UNLIMITED = -1;

    private final int perSecond;
    private final long windowNanos;
    /** When each slot may start again: one window after its last answer. */
    private final long[] freeFrom;
    /** Whether each slot's request is still waiting for its answer. */
    private final boolean[] inFlight;

    private long pausedUntil = Long.MIN_VALUE;
    private long waitedNanos;

    /**
     * @param perSecond requests allowed per window; 0 or less means unlimited
     * @param marginMillis added to the 1 s window (clock granularity at the server)
     */
    public RateLimiter(int perSecond, long marginMillis) {
        this.perSecond = perSecond;
        this.windowNanos = windowMillis(marginMillis) * 1_000_000L;
        int n = Math.max(1, perSecond);
        this.freeFrom = new long[n];
        this.inFlight = new boolean[n];
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            freeFrom[i] = now;
        }
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
     * Blocks until this caller may send a request and returns the slot it holds; the caller must
     * hand it back with {@link #answered} once the request was answered or failed.
     *
     * <p>A slot is taken only when its caller is about to send, never reserved ahead and slept
     * towards: under CPU pressure a sleeping thread can wake hundreds of milliseconds late, and a
     * start booked for the earlier time would bunch with later ones (docs/benchmarks.md).
     */
    public int acquire() throws InterruptedException {
        if (perSecond <= 0) {
            return UNLIMITED;
        }
        long asked = System.nanoTime();
        synchronized (this) {
            while (true) {
                long now = System.nanoTime();
                int slot = soonestFree();
                if (slot < 0) {
                    wait(); // every slot is in flight: the next answer frees one
                    continue;
                }
                long earliest = freeFrom[slot];
                if (pausedUntil != Long.MIN_VALUE && pausedUntil - earliest > 0) {
                    earliest = pausedUntil;
                }
                if (now - earliest >= 0) {
                    inFlight[slot] = true;
                    waitedNanos += now - asked;
                    return slot;
                }
                long sleep = earliest - now;
                TimeUnit.NANOSECONDS.timedWait(this, sleep);
            }
        }
    }

    /** The request of {@code slot} has its answer (or failed): its slot frees one window from now. */
    public void answered(int slot) {
        if (slot == UNLIMITED) {
            return;
        }
        synchronized (this) {
            inFlight[slot] = false;
            freeFrom[slot] = System.nanoTime() + windowNanos;
            notifyAll();
        }
    }

    private int soonestFree() {
        int best = -1;
        for (int i = 0; i < freeFrom.length; i++) {
            if (!inFlight[i] && (best < 0 || freeFrom[i] - freeFrom[best] < 0)) {
                best = i;
            }
        }
        return best;
    }

    /** The window a limiter counts in: 1 s plus the margin, in milliseconds. */
    public static long windowMillis(long marginMillis) {
        return 1000 + marginMillis;
    }

    /** One window of this limiter (1 s plus the margin), in nanoseconds. */
    public long windowNanos() {
        return windowNanos;
    }

    /**
     * Requests that other processes may still have had arriving until now (a read on executors
     * that just finished): nobody here starts one before a window has passed, so this JVM's next
     * arrivals cannot share a second with theirs (docs/api-client.md#on-a-cluster).
     */
    public void quietForAWindow() {
        pauseUntil(System.nanoTime() + windowNanos);
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
