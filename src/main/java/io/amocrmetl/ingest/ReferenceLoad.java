package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.LakeWrites;
import io.amocrmetl.source.ScanMetrics;
import io.amocrmetl.state.Journal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Refreshes a reference table whole (docs/lakehouse.md): account, users, pipelines,
 * statuses, loss reasons, tags, custom fields, lists. Rows the API no longer returns are flagged,
 * never dropped, so old leads still join archived statuses and users. A custom field seen for the
 * first time is a schema change.
 */
final class ReferenceLoad {
    private ReferenceLoad() {}

    static Journal.Entry run(RunContext ctx, String table) {
        return write(ctx, fetch(ctx, table));
    }

    static Fetched fetch(RunContext ctx, String table) {
        long started = System.nanoTime();
        Journal.Entry entry = new Journal.Entry(table);
        RunContext.Materialized got = ctx.materialize(table, () -> ctx.read(table, Map.of()));
        Dataset<Row> read = got.read();
        Dataset<Row> rows = got.rows();
        ScanMetrics m = ScanMetrics.of(read);
        entry.requests = m.requests();
        entry.retries = m.retries();
        entry.tooManyRequests = m.tooManyRequests();
        entry.limiterWaitMs = m.limiterWaitMs();
        // The row count and the drift notes in one job.
        Row counts = rows.agg(count(lit(1)), SchemaChangesLog.notes(rows)).first();
        entry.rowsRead = counts.getLong(0);
        return new Fetched(table, rows, entry, null, started).withDriftNotes(counts.getLong(1));
    }

    static Journal.Entry write(RunContext ctx, Fetched f) {
        String table = f.table();
        LakeTable lt = Tables.get(table);
        Journal.Entry entry = f.entry();
        Dataset<Row> rows = f.rows();
        List<Column> out = new ArrayList<>();
        List<String> content = new ArrayList<>();
        for (StructField field : lt.schema().fields()) {
            String n = field.name();
            Column c = switch (n) {
                case Columns.IS_DELETED -> lit(false);
                case Columns.DELETED_AT -> lit(null);
                case Columns.SYNCED_AT -> expr("timestamp_micros(" + ctx.syncedAtMicros + "L)");
                case Columns.RUN_ID -> lit(ctx.runId);
                case Columns.ACCOUNT_ID ->
                    List.of(rows.columns()).contains(Columns.ACCOUNT_ID)
                            ? org.apache.spark.sql.functions.coalesce(col(Columns.ACCOUNT_ID), lit(ctx.accountId))
                            : lit(ctx.accountId);
                default -> col("`" + n + "`");
            };
            out.add(c.cast(field.dataType()).as(n));
            if (!n.startsWith("_") && !n.equals(Columns.IS_DELETED) && !n.equals(Columns.DELETED_AT)) {
                content.add(n);
            }
        }
        Dataset<Row> shaped = rows.select(out.toArray(new Column[0]));
        if (EntityFacts.fieldDefinitions(table)) {
            entry.schemaChanges += newCustomFields(ctx, shaped);
        }
        boolean changed = LakeWrites.refresh(ctx.lake, lt, ctx.accountId, shaped, content, ctx.syncedAtMicros);
        entry.rowsUpserted = changed ? entry.rowsRead : 0;
        if (f.mayDrift()) {
            entry.schemaChanges += SchemaChangesLog.record(ctx, table, rows);
        }
        entry.seconds = (System.nanoTime() - f.startedNanos()) / 1e9;
        ctx.tally(entry);
        return entry;
    }

    /** Fields that were not in the lake before this refresh (after the first one): new custom fields. */
    private static long newCustomFields(RunContext ctx, Dataset<Row> fresh) {
        Dataset<Row> known = ctx.lake.read(Tables.CUSTOM_FIELDS, ctx.accountId);
        if (known.isEmpty()) {
            return 0;
        }
        Dataset<Row> added = fresh.join(
                known.select(Columns.ENTITY_TYPE, "id"),
                CollectionConverters.asScala(List.of(Columns.ENTITY_TYPE, "id")).toSeq(),
                "left_anti");
        return SchemaChangesLog.write(
                ctx,
                Tables.CUSTOM_FIELDS,
                added.select(
                        lit("new_custom_field").as("kind"),
                        expr("concat(entity_type, '.', id)").as("field"),
                        expr("concat(name, ' (', type, ')')").as("example"),
                        lit(1L).as("count")));
    }
}
