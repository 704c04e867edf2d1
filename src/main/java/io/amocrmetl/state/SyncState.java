package io.amocrmetl.state;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * {@code _sync_state}: per (account_id, table), the watermark and the contiguous coverage
 * [coverage_start, watermark] of the cursor already loaded (docs/lakehouse.md), the retention
 * cut-off, the reconcile rotation, and probe results. Read once per run, written with a MERGE that
 * names the account, so accounts never conflict.
 *
 * <p>A job writes only the columns it changed ({@link Facet}), judged against the row as it is at
 * commit time, not as the job read it: a retention run beside an ingest never puts back an old
 * watermark, and the ingest never puts back an old cut-off (docs/lakehouse.md, "Overlapping runs").
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

    /** What a job changes in a row: the only columns its MERGE sets. */
    enum Facet {
        /** watermark and coverage_start (ingest): the watermark never moves back, coverage never below the cut-off. */
        ADVANCE,
        /** retention_cutoff (retention); coverage_start moves up to a new cut-off, never down. */
        CUTOFF,
        /** reconcile_cursor (reconcile's rotation). */
        CURSOR,
        /** probes (doctor --probe). */
        PROBES
    }

    private final Lake lake;
    private final long accountId;
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Entry> staged = new LinkedHashMap<>();
    private final Map<String, EnumSet<Facet>> changed = new HashMap<>();

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
        changed.computeIfAbsent(e.table(), t -> EnumSet.noneOf(Facet.class)).addAll(facets(get(e.table()), e));
        entries.put(e.table(), e);
        staged.put(e.table(), e);
    }

    /** Which facets {@code after} changes; a new cut-off's coverage is derived at commit, so it is not an advance. */
    static EnumSet<Facet> facets(Entry before, Entry after) {
        EnumSet<Facet> out = EnumSet.noneOf(Facet.class);
        boolean cutoff = !Objects.equals(before.retentionCutoff(), after.retentionCutoff());
        if (cutoff) {
            out.add(Facet.CUTOFF);
        }
        if (!Objects.equals(before.watermark(), after.watermark())
                || (!cutoff && !Objects.equals(before.coverageStart(), after.coverageStart()))) {
            out.add(Facet.ADVANCE);
        }
        if (!Objects.equals(before.reconcileCursor(), after.reconcileCursor())) {
            out.add(Facet.CURSOR);
        }
        if (!Objects.equals(before.probes(), after.probes())) {
            out.add(Facet.PROBES);
        }
        return out;
    }

    /** Writes one table's state now (per historical window, so a crash re-reads only the open one). */
    public synchronized void put(Entry e, String runId) {
        stage(e);
        flush(runId);
    }

    /**
     * Writes every staged state in one idempotent MERGE by account and table: a new row whole, an
     * existing one only in the columns of the facets this job changed (see {@link SyncStateMerge}).
     */
    public synchronized void flush(String runId) {
        if (staged.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        for (Entry e : staged.values()) {
            EnumSet<Facet> f = changed.getOrDefault(e.table(), EnumSet.noneOf(Facet.class));
            rows.add(RowFactory.create(
                    accountId,
                    e.table(),
                    ts(e.watermark()),
                    ts(e.coverageStart()),
                    ts(e.retentionCutoff()),
                    e.reconcileCursor(),
                    e.probes(),
                    now,
                    runId,
                    f.contains(Facet.ADVANCE),
                    f.contains(Facet.CUTOFF),
                    f.contains(Facet.CURSOR),
                    f.contains(Facet.PROBES)));
        }
        SyncStateMerge.write(lake, accountId, rows);
        staged.clear();
        changed.clear();
    }
}
