package io.amocrmetl.ingest;

import io.amocrmetl.state.Journal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A table's read, materialised (a local checkpoint) and waiting to be written: the unit the
 * ingest pipeline hands from its one fetcher to its writers, so that one table's Delta commits
 * overlap the next table's requests while only one scan at a time spends the rate budget.
 *
 * @param window the cursor window read, or null for a whole (reference) read
 * @param windows how many fetched windows this one stands for (see {@link #coalesce})
 * @param driftNotes how many drift notes the rows carry, counted in the job that counted them, or
 *     {@link #DRIFT_UNCOUNTED}: a read without drift then needs no job of its own to find that out
 */
record Fetched(
        String table,
        Dataset<Row> rows,
        Journal.Entry entry,
        IngestWindow window,
        long startedNanos,
        int windows,
        long driftNotes) {
    static final long DRIFT_UNCOUNTED = -1;

    Fetched(String table, Dataset<Row> rows, Journal.Entry entry, IngestWindow window, long startedNanos) {
        this(table, rows, entry, window, startedNanos, 1, DRIFT_UNCOUNTED);
    }

    Fetched withDriftNotes(long notes) {
        return new Fetched(table, rows, entry, window, startedNanos, windows, notes);
    }

    /** Whether the rows may carry drift notes (always, when they were not counted). */
    boolean mayDrift() {
        return driftNotes != 0;
    }

    /**
     * Adjacent windows of one table, fetched in order, as one write: their rows together, their
     * windows' span, their figures added up. A Delta commit costs seconds however few rows it
     * holds, so when the writers fall behind the fetcher, the windows waiting for them are written
     * in one commit per table rather than one each; a crash before it re-reads them all, which is
     * idempotent (docs/lakehouse.md).
     */
    static Fetched coalesce(List<Fetched> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Fetched head = parts.get(0);
        Dataset<Row> rows = head.rows();
        Journal.Entry e = new Journal.Entry(head.table());
        e.startedAt = head.entry().startedAt;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        long started = Long.MAX_VALUE;
        int windows = 0;
        long drift = 0;
        for (int i = 0; i < parts.size(); i++) {
            Fetched f = parts.get(i);
            if (i > 0) {
                rows = rows.unionByName(f.rows());
            }
            e.add(f.entry());
            from = Math.min(from, f.window().from());
            to = Math.max(to, f.window().to());
            started = Math.min(started, f.startedNanos());
            windows += f.windows();
            drift = drift == DRIFT_UNCOUNTED || f.driftNotes() == DRIFT_UNCOUNTED
                    ? DRIFT_UNCOUNTED
                    : drift + f.driftNotes();
        }
        IngestWindow window = new IngestWindow(from, to, head.window().first());
        e.windowFrom = window.fromInstant();
        e.windowTo = window.toInstant();
        return new Fetched(head.table(), rows, e, window, started, windows, drift);
    }
}
