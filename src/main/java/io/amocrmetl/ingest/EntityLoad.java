package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.amocrmetl.catalog.DerivedColumn;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.DuplicateKeys;
import io.amocrmetl.lake.LakeWrites;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.source.ScanMetrics;
import io.amocrmetl.state.Journal;
import io.amocrmetl.state.RetentionGuard;
import io.amocrmetl.state.SyncState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Loads one entity table's window (docs/lakehouse.md): read it once, keep the rows that
 * replace what the lake holds, rewrite their child tables, then merge them, then move the
 * watermark. Each step is idempotent: a crash between two only means the window is read again.
 */
final class EntityLoad {
    private EntityLoad() {}

    /**
     * @param filter a Spark SQL predicate on the entity's columns (tables.&lt;t&gt;.filter, event
     *               types), or null; the reader pushes what the API can apply
     */
    static Journal.Entry run(RunContext ctx, String table, IngestWindow window, String filter) {
        return write(ctx, fetch(ctx, table, window, filter));
    }

    /** Reads the window (the requests happen here) and materialises the rows. */
    static Fetched fetch(RunContext ctx, String table, IngestWindow window, String filter) {
        long started = System.nanoTime();
        LakeTable lt = Tables.get(table);
        EntitySpec spec = Entities.get(table);
        Journal.Entry entry = new Journal.Entry(table);
        entry.windowFrom = window.fromInstant();
        entry.windowTo = window.toInstant();
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(ReadOptions.FROM, String.valueOf(window.from()));
        extra.put(ReadOptions.TO, String.valueOf(window.to()));
        // The ingest window is already sized to its rows: the reader reads it as one window.
        extra.put(ReadOptions.WINDOW, (window.to() - window.from() + 1) + "s");
        extra.put(ReadOptions.READER_PID, "true");
        RunContext.Materialized got = ctx.materialize(table, () -> {
            Dataset<Row> read = ctx.read(table, extra);
            if (filter != null) {
                read = read.where(filter);
            }
            read = read.select(
                    columns(spec, lt).stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
            return Flatten.withHash(read);
        });
        Dataset<Row> hashed = got.read();
        Dataset<Row> rows = got.rows();
        ScanMetrics m = ScanMetrics.of(hashed);
        // The row count, the drift notes and the reading processes in one job.
        long read = 0;
        long drift = 0;
        List<String> pids = new ArrayList<>();
        for (Row r : rows.groupBy(ReadOptions.PID_COLUMN)
                .agg(count(lit(1)), SchemaChangesLog.notes(rows))
                .collectAsList()) {
            read += r.getLong(1);
            drift += r.getLong(2);
            if (!r.isNullAt(0)) {
                pids.add(String.valueOf(r.getLong(0)));
            }
        }
        entry.rowsRead = read;
        entry.requests = m.requests();
        entry.retries = m.retries();
        entry.tooManyRequests = m.tooManyRequests();
        entry.limiterWaitMs = m.limiterWaitMs();
        entry.executorPids = pids.isEmpty() ? null : String.join(",", pids);
        return new Fetched(table, rows, entry, window, started).withDriftNotes(drift);
    }

    /** Writes a fetched window (children, parent), then stages the watermark and the journal row. */
    static Journal.Entry write(RunContext ctx, Fetched f) {
        Journal.Entry entry = f.entry();
        if (entry.rowsRead > 0) {
            entry.rowsUpserted = apply(ctx, f.table(), f.rows());
            entry.schemaChanges = f.mayDrift() ? SchemaChangesLog.record(ctx, f.table(), f.rows()) : 0;
        }
        SyncState.Entry next = f.window().advance(ctx.state.get(f.table()));
        ctx.state.stage(next);
        entry.watermarkLagSeconds =
                ctx.serverNow.getEpochSecond() - next.watermark().getEpochSecond();
        if (DerivedColumn.usesConfiguredFields(f.table()) && !ctx.warnings.isEmpty()) {
            entry.details = "warnings: " + String.join("; ", ctx.warnings);
        }
        Long repaired = ctx.repaired.remove(f.table());
        if (repaired != null) {
            String note = "repaired: removed " + repaired + " duplicate rows, kept the newest of each key";
            entry.details = entry.details == null ? note : entry.details + "; " + note;
        }
        entry.seconds = (System.nanoTime() - f.startedNanos()) / 1e9;
        ctx.tally(entry);
        return entry;
    }

    /**
     * Writes read rows (hashed) to the lake: the winners' child tables, then the winners
     * (docs/lakehouse.md: commit order, merge rule). Returns how many rows replaced what the lake held.
     */
    static long apply(RunContext ctx, String table, Dataset<Row> rows) {
        try {
            return applyOnce(ctx, table, rows);
        } catch (RuntimeException e) {
            if (!DuplicateKeys.multipleMatches(e)) {
                throw e;
            }
            // A key the lake holds twice (left by an older version's overlapping runs): keep the
            // newest of each in the table and its children, then write again.
            long removed = DuplicateKeys.repair(ctx.lake, Tables.get(table), ctx.accountId);
            for (LakeTable child : Tables.childrenOf(table)) {
                removed += DuplicateKeys.repair(ctx.lake, child, ctx.accountId);
            }
            if (removed == 0) {
                throw e;
            }
            ctx.repaired.merge(table, removed, Long::sum);
            ctx.out.println("  " + table + ": removed " + removed + " duplicate rows (kept the newest of each key)");
            return applyOnce(ctx, table, rows);
        }
    }

    private static long applyOnce(RunContext ctx, String table, Dataset<Row> rows) {
        LakeTable lt = Tables.get(table);
        String cursor = Entities.get(table).cursor().field;
        // Retention (docs/retention.md): rows older than the table's cut-off stay out.
        rows = RetentionGuard.keep(ctx.config.retention(), ctx.state.get(table), rows);
        Dataset<Row> source = LakeWrites.dedupe(rows.drop(ReadOptions.PID_COLUMN), lt, cursor);
        Dataset<Row> marked =
                LakeWrites.winners(ctx.lake, lt, ctx.accountId, source, cursor).localCheckpoint(true);
        // One job for both figures: how many win, and whether any of them the lake already holds.
        Row tally = marked.agg(count(lit(1)), max(col(LakeWrites.EXISTS))).first();
        long upserted = tally.getLong(0);
        boolean newOnly = tally.isNullAt(1) || !tally.getBoolean(1);
        Dataset<Row> winners = marked.drop(LakeWrites.EXISTS);
        if (upserted > 0) {
            for (LakeTable child : Tables.childrenOf(table)) {
                LakeWrites.replaceChildren(
                        ctx.lake,
                        child,
                        ctx.accountId,
                        winners.select(col("id").as(child.parentKey())),
                        Flatten.children(winners, child, ctx.runId, ctx.syncedAtMicros));
                CrashPoint.reach(CrashPoint.AFTER_CHILD_COMMIT);
            }
            LakeWrites.upsert(
                    ctx.lake,
                    lt,
                    ctx.accountId,
                    Flatten.parents(winners, lt, ctx.configuredFields(), ctx.runId, ctx.syncedAtMicros),
                    newOnly);
            CrashPoint.reach(CrashPoint.AFTER_PARENT_COMMIT);
        }
        return upserted;
    }

    /**
     * Reads entities by id ({@code filter[id][]}) and writes them as a window's rows are written:
     * for changes that may not move updated_at (restores, links; see the fidelity switches in docs/sandbox.md).
     */
    static long refetch(RunContext ctx, String table, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        EntitySpec spec = Entities.get(table);
        LakeTable lt = Tables.get(table);
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(
                ReadOptions.IDS,
                String.join(",", ids.stream().map(String::valueOf).toList()));
        Dataset<Row> rows = ctx.materialize(
                        table,
                        () -> Flatten.withHash(ctx.read(table, extra)
                                .select(columns(spec, lt).stream()
                                        .filter(c -> !c.equals(ReadOptions.PID_COLUMN))
                                        .map(c -> col("`" + c + "`"))
                                        .toArray(Column[]::new))))
                .rows();
        return rows.isEmpty() ? 0 : apply(ctx, table, rows);
    }

    /**
     * The reader columns this table needs: the lake's scalar columns, the nested ones its child
     * tables and derived columns come from, and the drift; nothing else, so no {@code with=}
     * that nobody reads (docs/amocrm-api.md §3.4).
     */
    static List<String> columns(EntitySpec spec, LakeTable lt) {
        StructType schema = spec.schema();
        Set<String> out = new LinkedHashSet<>();
        for (StructField f : schema.fields()) {
            boolean nested = f.dataType() instanceof ArrayType || f.dataType() instanceof StructType;
            if (!nested && lt.schema().getFieldIndex(f.name()).isDefined()) {
                out.add(f.name());
            }
        }
        List<String> nested = new ArrayList<>();
        for (LakeTable child : Tables.childrenOf(spec.name())) {
            nested.addAll(Flatten.columnsFor(child));
        }
        nested.addAll(DerivedColumn.sources(spec.name()));
        out.addAll(nested);
        out.add(EntitySpec.DRIFT);
        out.add(ReadOptions.PID_COLUMN);
        return new ArrayList<>(out);
    }
}
