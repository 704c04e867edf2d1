package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.Tables;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code _schema_changes} (schema drift never fails a run: docs/lakehouse.md): what a read carried that the
 * schema did not expect, one row per (table, kind, field) with a count and a raw example.
 */
final class SchemaChangesLog {
    private SchemaChangesLog() {}

    /**
     * An aggregate of the read rows: how many drift notes they carry (what {@link #record} would
     * return), so the job that counts a read's rows also tells whether {@link #record} needs a job.
     */
    static Column notes(Dataset<Row> rows) {
        if (!List.of(rows.columns()).contains(EntitySpec.DRIFT)) {
            return lit(0L).as("drift_notes");
        }
        return coalesce(
                        sum(when(col(EntitySpec.DRIFT).isNull(), lit(0)).otherwise(size(col(EntitySpec.DRIFT)))),
                        lit(0L))
                .cast("long")
                .as("drift_notes");
    }

    /** Records the drift in the read rows; returns how many drift notes there were. */
    static long record(RunContext ctx, String table, Dataset<Row> rows) {
        if (!List.of(rows.columns()).contains(EntitySpec.DRIFT)) {
            return 0;
        }
        Dataset<Row> notes = rows.select(expr("explode(" + EntitySpec.DRIFT + ") AS d"))
                .groupBy(col("d.kind").as("kind"), col("d.field").as("field"))
                .agg(first(col("d.raw")).as("example"), count(lit(1)).as("count"));
        return write(ctx, table, notes);
    }

    /** Appends grouped notes (kind, field, example, count); returns their total count. */
    static long write(RunContext ctx, String table, Dataset<Row> notes) {
        List<Row> grouped = notes.collectAsList();
        if (grouped.isEmpty()) {
            return 0;
        }
        long total = grouped.stream()
                .mapToLong(r -> r.getLong(r.fieldIndex("count")))
                .sum();
        ctx.spark
                .createDataFrame(grouped, notes.schema())
                .select(
                        lit(ctx.accountId).as(Columns.ACCOUNT_ID),
                        lit(ctx.runId).as("run_id"),
                        expr("timestamp_micros(" + ctx.syncedAtMicros + "L)").as("detected_at"),
                        lit(table).as("table_name"),
                        col("kind"),
                        col("field"),
                        col("example"),
                        col("count"))
                .write()
                .format("delta")
                .mode("append")
                .save(ctx.lake.path(Tables.SCHEMA_CHANGES));
        ctx.out.printf(
                "  %s: %d schema change%s kept raw (see %s)%n",
                table, total, total == 1 ? "" : "s", Tables.SCHEMA_CHANGES);
        return total;
    }
}
