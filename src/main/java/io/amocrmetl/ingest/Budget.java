package io.amocrmetl.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A run's budget ({@code --max-requests}, {@code --max-minutes}): checked before each window is
 * fetched, so a run stops at a window boundary with its work committed, and the next run resumes
 * (docs/conventions.md: syncs that die on a quota; "partial success, resume next run").
 */
final class Budget {
    private final Long maxRequests;
    private final Long maxNanos;
    private final long started = System.nanoTime();
    private final AtomicLong requests = new AtomicLong();
    private volatile String stoppedBy;

    Budget(Long maxRequests, Long maxMinutes) {
        this.maxRequests = maxRequests;
        this.maxNanos = maxMinutes == null ? null : maxMinutes * 60_000_000_000L;
    }

    static Budget unlimited() {
        return new Budget(null, null);
    }

    void spent(long n) {
        requests.addAndGet(n);
    }

    long requests() {
        return requests.get();
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Whether another window may start; the first "no" is remembered for the report. */
    boolean allowsMore() {
        if (maxRequests != null && requests.get() >= maxRequests) {
            stoppedBy = "--max-requests " + maxRequests + " reached (" + requests.get() + " requests)";
        } else if (maxNanos != null && System.nanoTime() - started >= maxNanos) {
            stoppedBy = "--max-minutes " + maxNanos / 60_000_000_000L + " reached";
        }
        return stoppedBy == null;
    }

    /** Stops scheduling windows (after a failure). */
    void stop(String why) {
        if (stoppedBy == null) {
            stoppedBy = why;
        }
    }

    /** Why the run stopped early, or null when it did not. */
    String stoppedBy() {
        return stoppedBy;
    }
}
