package io.amocrmetl.sandbox.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/** The API requests served, oldest first, bounded so a long benchmark cannot exhaust the heap. */
public final class RequestLog {
    private static final int CAP = 1_000_000;
    private final ConcurrentLinkedDeque<RequestRecord> records = new ConcurrentLinkedDeque<>();
    private final AtomicLong size = new AtomicLong();
    private final AtomicLong total = new AtomicLong();

    void add(RequestRecord r) {
        records.addLast(r);
        total.incrementAndGet();
        if (size.incrementAndGet() > CAP) {
            records.pollFirst();
            size.decrementAndGet();
        }
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Waits until at least {@code count} logged requests match, for tests that must know another
     * process got this far (a condition, not a sleep). Returns false on timeout.
     */
    public synchronized boolean await(java.util.function.Predicate<RequestRecord> match, int count, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (records.stream().filter(match).count() < count) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    public List<RequestRecord> snapshot() {
        List<RequestRecord> out = new ArrayList<>(records);
        out.sort(java.util.Comparator.comparingLong(RequestRecord::seq));
        return out;
    }

    /** Requests served since the sandbox started, including any dropped from the log. */
    public long total() {
        return total.get();
    }

    public void clear() {
        records.clear();
        size.set(0);
    }

    /** The most request starts inside any window of {@code windowNanos} (a sliding window). */
    public static int busiestWindow(List<RequestRecord> records, long windowNanos) {
        long[] starts =
                records.stream().mapToLong(RequestRecord::startNanos).sorted().toArray();
        int best = 0;
        int lo = 0;
        for (int hi = 0; hi < starts.length; hi++) {
            while (starts[hi] - starts[lo] >= windowNanos) {
                lo++;
            }
            best = Math.max(best, hi - lo + 1);
        }
        return best;
    }
}
