package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;

import io.amocrmetl.lake.LakeTable;
import io.amocrmetl.lake.Tables;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Applies deletions to an entity table (DESIGN.md "Deletes"): soft by default ({@code is_deleted},
 * {@code deleted_at}), or hard ({@code deletes.mode = hard}: the row and its child rows go). A row
 * whose updated_at is later than the deletion was seen live after it (restored), so it is left
 * alone, and so is a row listed live by a read that began after the deletion; a deletion already
 * applied is not applied again.
 */
final class DeletionApply {
    private DeletionApply() {
    }

    /** @return the rows flagged or removed */
    static long apply(RunContext ctx, String table, List<DeletesLoad.Signal> deletes) {
        LakeTable t = Tables.get(table);
        Dataset<Row> ids = DeletesLoad.idFrame(ctx, deletes);
        String cursor = t.schema().getFieldIndex("updated_at").isDefined() ? "updated_at" : "created_at";
        String on = "t.account_id = " + ctx.accountId + " AND t.id = s.id";
        // Not when the row is newer than the deletion, or was listed live by a read that began
        // after it (_synced_at is the server time a run began): then it was restored.
        String applies = "(t." + cursor + " IS NULL OR t." + cursor + " <= s.deleted_at) AND t._synced_at <= s.deleted_at";
        long before = ctx.lake.read(table, ctx.accountId).where("is_deleted").count();
        if ("hard".equals(ctx.config.deletesMode())) {
            Dataset<Row> gone = ctx.lake.read(table, ctx.accountId).join(ids, "id").where(applies.replace("t.", "")
                    .replace("s.", "")).select("id");
            long n = gone.count();
            for (LakeTable child : Tables.childrenOf(table)) {
                ctx.lake.delta(child.name()).as("t").merge(gone.select(col("id").as("pk")).as("s"),
                        "t.account_id = " + ctx.accountId + " AND t.`" + child.parentKey() + "` = s.pk")
                        .whenMatched().delete().execute();
            }
            ctx.lake.delta(table).as("t").merge(ids.as("s"), on).whenMatched(applies).delete().execute();
            return n;
        }
        ctx.lake.delta(table).as("t").merge(ids.as("s"), on)
                .whenMatched(applies + " AND NOT t.is_deleted")
                .updateExpr(Map.of("is_deleted", "true", "deleted_at", "s.deleted_at",
                        "_synced_at", "timestamp_micros(" + ctx.syncedAtMicros + "L)", "_run_id", "'" + ctx.runId + "'"))
                .execute();
        return ctx.lake.read(table, ctx.accountId).where("is_deleted").count() - before;
    }
}
