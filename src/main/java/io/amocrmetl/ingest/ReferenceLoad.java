package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.amocrmetl.entity.Entities;
import io.amocrmetl.entity.EntitySpec;
import io.amocrmetl.lake.LakeTable;
import io.amocrmetl.lake.LakeWrites;
import io.amocrmetl.lake.Tables;
import io.amocrmetl.source.ScanMetrics;
import io.amocrmetl.state.Journal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * Refreshes a reference table whole (DESIGN.md "Reference tables"): account, users, pipelines,
 * statuses, loss reasons, tags, custom fields, lists. Rows the API no longer returns are flagged,
 * never dropped, so old leads still join archived statuses and users. A custom field seen for the
 * first time is a schema change.
 */
final class ReferenceLoad {
    private ReferenceLoad() {
    }

    static Journal.Entry run(RunContext ctx, String table) {
        long started = System.nanoTime();
        LakeTable lt = Tables.get(table);
        EntitySpec spec = Entities.get(table);
        Journal.Entry entry = new Journal.Entry(table);
        Dataset<Row> read = ctx.read(table, java.util.Map.of());
        long t0 = System.nanoTime();
        Dataset<Row> rows = read.localCheckpoint(true);
        long t1 = System.nanoTime();
        ScanMetrics m = ScanMetrics.of(read);
        entry.requests = m.requests();
        entry.retries = m.retries();
        entry.tooManyRequests = m.tooManyRequests();
        entry.limiterWaitMs = m.limiterWaitMs();
        entry.rowsRead = rows.count();
        List<Column> out = new ArrayList<>();
        List<String> content = new ArrayList<>();
        for (StructField f : lt.schema().fields()) {
            String n = f.name();
            Column c = switch (n) {
                case "is_deleted" -> lit(false);
                case "deleted_at" -> lit(null);
                case "_synced_at" -> expr("timestamp_micros(" + ctx.syncedAtMicros + "L)");
                case "_run_id" -> lit(ctx.runId);
                case "account_id" -> java.util.List.of(rows.columns()).contains("account_id")
                        ? org.apache.spark.sql.functions.coalesce(col("account_id"), lit(ctx.accountId)) : lit(ctx.accountId);
                default -> col("`" + n + "`");
            };
            out.add(c.cast(f.dataType()).as(n));
            if (!n.startsWith("_") && !n.equals("is_deleted") && !n.equals("deleted_at")) {
                content.add(n);
            }
        }
        Dataset<Row> shaped = rows.select(out.toArray(new Column[0]));
        if (table.equals("custom_fields")) {
            entry.schemaChanges += newCustomFields(ctx, shaped);
        }
        long t2 = System.nanoTime();
        boolean changed = LakeWrites.refresh(ctx.lake, lt, ctx.accountId, shaped, content, ctx.syncedAtMicros);
        long t3 = System.nanoTime();
        entry.rowsUpserted = changed ? entry.rowsRead : 0;
        entry.schemaChanges += SchemaChangesLog.record(ctx, table, rows);
        long t4 = System.nanoTime();
        entry.seconds = (System.nanoTime() - started) / 1e9;
        ctx.journal.write(entry);
        System.out.printf("PROFILE %s read %d ms, prep %d ms, merge %d ms, drift %d ms, journal %d ms%n", table,
                (t1 - t0) / 1000000, (t2 - t1) / 1000000, (t3 - t2) / 1000000, (t4 - t3) / 1000000, (System.nanoTime() - t4) / 1000000);
        return entry;
    }

    /** Fields that were not in the lake before this refresh (after the first one): new custom fields. */
    private static long newCustomFields(RunContext ctx, Dataset<Row> fresh) {
        Dataset<Row> known = ctx.lake.read(Tables.get("custom_fields").name(), ctx.accountId);
        if (known.isEmpty()) {
            return 0;
        }
        Dataset<Row> added = fresh.join(known.select("entity_type", "id"), scala.jdk.javaapi.CollectionConverters
                .asScala(List.of("entity_type", "id")).toSeq(), "left_anti");
        return SchemaChangesLog.write(ctx, "custom_fields", added.select(lit("new_custom_field").as("kind"),
                expr("concat(entity_type, '.', id)").as("field"), expr("concat(name, ' (', type, ')')").as("example"),
                lit(1L).as("count")));
    }
}
