package io.amocrmetl.reconcile;

import java.util.List;

/**
 * Which periods a run checks under a request budget (docs/reconciliation.md: rotating slices that
 * fit {@code --max-requests}, so each run checks a different part and the whole range is covered
 * over time). A run takes whole periods from where the last one stopped (its cursor), as many as
 * one scan of their rows fits the budget; the next run goes on after them, and after the last
 * period starts again at the first. The rows of a period are estimated from the lake (the API has
 * no counts, docs/amocrm-api.md §3.2). Spark-free.
 */
final class Rotation {
    /** Requests a scan costs beyond its full pages: the last short (or empty) page, and one check. */
    static final int SCAN_OVERHEAD = 2;

    /**
     * Periods {@code first..last} (inclusive; none when last &lt; first), where the next run starts
     * ({@code nextCursor}, epoch seconds; null: at the beginning), and the scan's estimated requests.
     */
    record Plan(int first, int last, Long nextCursor, long estimate) {
        boolean empty() {
            return last < first;
        }
    }

    private Rotation() {}

    /** The requests a scan of {@code rows} rows costs, about. */
    static long estimate(long rows, int pageSize) {
        return (rows + pageSize - 1) / pageSize + SCAN_OVERHEAD;
    }

    /**
     * @param rows the estimated rows of each period
     * @param cursor the first second the last run had not checked, or null
     * @param share the requests this table's scan may spend, or null for no budget (every period)
     */
    static Plan plan(List<Period> periods, long[] rows, Long cursor, int pageSize, Long share) {
        if (share == null) {
            long n = 0;
            for (long r : rows) {
                n += r;
            }
            return new Plan(0, periods.size() - 1, cursor, estimate(n, pageSize));
        }
        int first = 0;
        if (cursor != null) {
            while (first < periods.size() && periods.get(first).to() < cursor) {
                first++;
            }
            if (first == periods.size()) {
                first = 0; // the rotation went round: start again
            }
        }
        long n = 0;
        int last = first - 1;
        for (int i = first; i < periods.size(); i++) {
            if (estimate(n + rows[i], pageSize) > share) {
                break;
            }
            n += rows[i];
            last = i;
        }
        if (last < first) {
            return new Plan(first, last, cursor, 0);
        }
        Long next = last + 1 < periods.size() ? periods.get(last + 1).from() : null;
        return new Plan(first, last, next, estimate(n, pageSize));
    }
}
