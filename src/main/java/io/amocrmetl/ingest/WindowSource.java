package io.amocrmetl.ingest;

/**
 * A table's windows over a range, sized as it goes (Spark-free): each window commits on its own,
 * so it should hold a commit's worth of rows, not a fixed stretch of time. The first is
 * {@code ingest.window} long; each next one grows (up to 4×) when the last held fewer rows than
 * {@code ingest.window-rows}, and shrinks (to half) when it held many more, never below an hour.
 * Sparse years of history take a few windows; a dense month is cut into commit-sized pieces.
 * Forward for catch-up (oldest first, so the watermark advances), backward for historical loads
 * (newest first, so coverage grows down from the watermark).
 */
final class WindowSource {
    static final long MIN_SECONDS = 3600;
    private final long from;
    private final long to;
    private final boolean backwards;
    private final long targetRows;
    private final boolean first;
    private long size;
    private long next;
    private int count;

    WindowSource(long from, long to, long initialSeconds, long targetRows, boolean backwards, boolean first) {
        this.from = from;
        this.to = to;
        this.backwards = backwards;
        this.targetRows = Math.max(1, targetRows);
        this.first = first;
        this.size = Math.max(MIN_SECONDS, initialSeconds);
        this.next = backwards ? to : from;
    }

    /** No window at all. */
    static WindowSource empty() {
        return new WindowSource(1, 0, MIN_SECONDS, 1, false, false);
    }

    boolean hasNext() {
        return backwards ? next >= from : next <= to;
    }

    IngestWindow next() {
        IngestWindow w;
        if (backwards) {
            w = new IngestWindow(Math.max(from, next - size + 1), next, first);
            next = w.from() - 1;
        } else {
            w = new IngestWindow(next, Math.min(to, next + size - 1), first);
            next = w.to() + 1;
        }
        count++;
        return w;
    }

    /** Sizes the next window from the rows the last one held. */
    void observe(long rows) {
        double factor = rows == 0 ? 4 : Math.max(0.5, Math.min(4, (double) targetRows / rows));
        size = Math.max(MIN_SECONDS, (long) Math.min((double) (to - from + 1), size * factor));
    }

    /** How much of the range is read, 0..1 (for progress and the ETA). */
    double done() {
        long span = Math.max(1, to - from + 1);
        return backwards ? (double) (to - next) / span : (double) (next - from) / span;
    }

    int windows() {
        return count;
    }

    /** [first, last] second still to read. */
    long[] bounds() {
        return backwards ? new long[] {from, next} : new long[] {next, to};
    }

    long remainingSeconds() {
        return backwards ? Math.max(0, next - from + 1) : Math.max(0, to - next + 1);
    }
}
