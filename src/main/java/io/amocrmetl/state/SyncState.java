package io.amocrmetl.state;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * {@code _sync_state}: per (account_id, table), the watermark and the contiguous coverage
 * [coverage_start, watermark] of the cursor already loaded (docs/lakehouse.md), the retention
 * cut-off, the reconcile rotation, and probe results. Read once per run, written row by row with
 * a MERGE that names the account, so accounts never conflict.
 */
public final class SyncState {
    /** One table's state; instants may be null. */
    public record Entry(
            String table,
            Instant watermark,
            Instant coverageStart,
            Instant retentionCutoff,
            String reconcileCursor,
            String probes) {
        public Entry withWatermark(Instant w, Instant coverage) {
            return new Entry(table, w, coverage, retentionCutoff, reconcileCursor, probes);
        }

        public Entry withRetentionCutoff(Instant c) {
            return new Entry(table, watermark, coverageStart, c, reconcileCursor, probes);
        }

        public Entry withReconcileCursor(String c) {
            return new Entry(table, watermark, coverageStart, retentionCutoff, c, probes);
        }

        public Entry withProbes(String p) {
            return new Entry(table, watermark, coverageStart, retentionCutoff, reconcileCursor, p);
        }
    }

    private final Lake lake;
    private final long accountId;
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Entry> staged = new LinkedHashMap<>();

    public SyncState(Lake lake, long accountId) {
        this.lake = lake;
        this.accountId = accountId;
        for (Row r : lake.read(Tables.SYNC_STATE, accountId).collectAsList()) {
            Entry e = new Entry(
                    r.getAs("table_name"),
                    instant(r.getAs("watermark")),
                    instant(r.getAs("coverage_start")),
                    instant(r.getAs("retention_cutoff")),
                    r.getAs("reconcile_cursor"),
                    r.getAs("probes"));
            entries.put(e.table(), e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    /** The table's state; an empty entry when it was never loaded. */
    public synchronized Entry get(String table) {
        return entries.getOrDefault(table, new Entry(table, null, null, null, null, null));
    }

    /**
     * Records a table's new state for {@link #flush}: it lands with the run's other states in one
     * commit, after the data it describes (docs/lakehouse.md). A run that dies first only
     * reads those windows again.
     */
    public synchronized void stage(Entry e) {
        entries.put(e.table(), e);
        staged.put(e.table(), e);
    }

    /** Writes one table's state now (per historical window, so a crash re-reads only the open one). */
    public synchronized void put(Entry e, String runId) {
        stage(e);
        flush(runId);
    }

    /** Writes every staged state in one idempotent MERGE by account and table. */
    public synchronized void flush(String runId) {
        if (staged.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        for (Entry e : staged.values()) {
            rows.add(RowFactory.create(
                    accountId,
                    e.table(),
                    ts(e.watermark()),
                    ts(e.coverageStart()),
                    ts(e.retentionCutoff()),
                    e.reconcileCursor(),
                    e.probes(),
                    now,
                    runId));
        }
        var src =
                lake.spark().createDataFrame(rows, Tables.get(Tables.SYNC_STATE).schema());
        lake.delta(Tables.SYNC_STATE)
                .as("t")
                .merge(
                        src.as("s"),
                        "t.account_id = " + accountId
                                + " AND t.account_id = s.account_id AND t.table_name = s.table_name")
                .whenMatched()
                .updateAll()
                .whenNotMatched()
                .insertAll()
                .execute();
        staged.clear();
    }
}
