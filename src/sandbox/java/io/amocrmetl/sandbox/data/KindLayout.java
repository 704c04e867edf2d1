package io.amocrmetl.sandbox.data;

/**
 * Where the base (never mutated) records of one entity kind sit in id and time. Ids and times are
 * non-decreasing in the record index, so any range is found by binary search with nothing stored
 * per record: that lets the sandbox serve millions of leads in a small heap (docs/sandbox.md).
 * The last {@link #TAIL} ids jump above 2^32, so every account has ids that overflow an int.
 */
final class KindLayout {
    static final int TAIL = 2;
    static final long HIGH_ID_JUMP = 1L << 32;

    final int n;
    private final long seed;
    private final long stream;
    private final long idBase;
    private final int stride;
    private final long t0;
    private final long span;
    private final long lag;

    /**
     * @param t0 created_at of the first record (Unix seconds)
     * @param span seconds over which created_at spreads
     * @param lag how long after creation a base record was last updated
     */
    KindLayout(long seed, long stream, int n, long idBase, int stride, long t0, long span, long lag) {
        this.seed = seed;
        this.stream = stream;
        this.n = n;
        this.idBase = idBase;
        this.stride = stride;
        this.span = Math.max(1, span);
        // updated_at(i) >= created_at(i) needs lag >= one record's share of the span. A longer lag
        // moves the start back by as much, so no base record is updated after the intended end
        // (the clock's start): a small account must not carry updated_at in the future.
        this.lag = Math.max(lag, this.span / Math.max(1, n) + 1);
        this.t0 = t0 - (this.lag - lag);
    }

    long id(int i) {
        long id = idBase + (long) i * stride + Hash.below(seed, stream * 31 + 1, i, stride);
        return i >= n - TAIL ? id + HIGH_ID_JUMP : id;
    }

    /** The base index holding {@code id}, or -1. */
    int indexOf(long id) {
        for (long candidate : new long[] {id - idBase, id - idBase - HIGH_ID_JUMP}) {
            if (candidate < 0) {
                continue;
            }
            long i = candidate / stride;
            if (i < n && id((int) i) == id) {
                return (int) i;
            }
        }
        return -1;
    }

    long createdAt(int i) {
        return t0 + spread(i, 2);
    }

    long updatedAt(int i) {
        return t0 + lag + spread(i, 3);
    }

    /** The latest timestamp any base record carries. */
    long end() {
        return t0 + lag + span;
    }

    /** floor((i + f) * span / n) with f in [0, 1): monotone in i, and not all on a grid. */
    private long spread(int i, int salt) {
        long fraction = Hash.below(seed, stream * 31 + salt, i, 1000);
        return Math.floorDiv(((long) i * 1000 + fraction) * span, (long) n * 1000);
    }

    /** First index whose key is >= ts (n if none); key must be non-decreasing in the index. */
    int lowerBound(java.util.function.IntToLongFunction key, long ts) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (key.applyAsLong(mid) < ts) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
