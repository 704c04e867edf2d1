package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Applies deletions to an entity table (docs/lakehouse.md): soft by default ({@code is_deleted},
 * {@code deleted_at}), or hard ({@code deletes.mode = hard}: the row and its child rows go). A
 * deletion already applied is not applied again. A deletion from events is skipped for a row seen
 * live after it (restored); confirmed deletions (a webhook's, an unsorted item's outcome) apply as
 * they are.
 */
final class DeletionApply {
    private DeletionApply() {}

    /** Deletions from events; @return the rows newly flagged or removed */
    static long apply(RunContext ctx, String table, List<DeletesLoad.Signal> deletes) {
        LakeTable t = Tables.get(table);
        String cursor =
                t.schema().getFieldIndex(Columns.UPDATED_AT).isDefined() ? Columns.UPDATED_AT : Columns.CREATED_AT;
        // Not when the row is newer than the deletion, or was listed live by a read that began
        // after it (_synced_at is the server time a run began): then it was restored.
        String applies =
                "(t." + cursor + " IS NULL OR t." + cursor + " <= s.deleted_at) AND t._synced_at <= s.deleted_at";
        return apply(ctx, t, deletes, applies, applies + " AND NOT t.is_deleted");
    }

    /** Deletions known to hold now (webhooks confirmed by the API, unsorted outcomes); @return the rows newly flagged or removed */
    static long applyConfirmed(RunContext ctx, String table, List<DeletesLoad.Signal> deletes) {
        return apply(ctx, Tables.get(table), deletes, "true", "NOT t.is_deleted");
    }

    /**
     * Gives rows a webhook flagged (with the time it was received: a webhook has none, docs/amocrm-api.md
     * §6.2) their deletion event's time: order is kept by event time where there is one.
     */
    static void retime(RunContext ctx, String table, List<DeletesLoad.Signal> events) {
        if (events.isEmpty() || "hard".equals(ctx.config.deletesMode())) {
            return;
        }
        LakeTable t = Tables.get(table);
        String key = t.key().get(t.key().size() - 1);
        ctx.lake
                .delta(table)
                .as("t")
                .merge(
                        DeletesLoad.keyFrame(ctx, t, events).as("s"),
                        "t.account_id = " + ctx.accountId + " AND t.`" + key + "` = s.`" + key + "`")
                .whenMatched("t.is_deleted AND (t.deleted_at IS NULL OR t.deleted_at <> s.deleted_at)")
                .updateExpr(Map.of(Columns.DELETED_AT, "s.deleted_at"))
                .execute();
    }

    /**
     * @param applies when a lake row is deleted (hard)
     * @param flags when a lake row is flagged (soft)
     */
    private static long apply(
            RunContext ctx, LakeTable t, List<DeletesLoad.Signal> deletes, String applies, String flags) {
        if (deletes.isEmpty()) {
            return 0;
        }
        String table = t.name();
        String key = t.key().get(t.key().size() - 1);
        Dataset<Row> keys = DeletesLoad.keyFrame(ctx, t, deletes);
        if ("hard".equals(ctx.config.deletesMode())) {
            Dataset<Row> gone = ctx.lake
                    .read(table, ctx.accountId)
                    .as("t")
                    .join(keys.as("s"), col("t.`" + key + "`").equalTo(col("s.`" + key + "`")))
                    .where(applies)
                    .select(col("t.`" + key + "`").as("pk"))
                    .localCheckpoint(true);
            if (gone.isEmpty()) {
                return 0;
            }
            for (LakeTable child : Tables.childrenOf(table)) {
                ctx.lake
                        .delta(child.name())
                        .as("t")
                        .merge(
                                gone.as("s"),
                                "t.account_id = " + ctx.accountId + " AND t.`" + child.parentKey() + "` = s.pk")
                        .whenMatched()
                        .delete()
                        .execute();
            }
            return metric(
                    ctx.lake
                            .delta(table)
                            .as("t")
                            .merge(gone.as("s"), "t.account_id = " + ctx.accountId + " AND t.`" + key + "` = s.pk")
                            .whenMatched()
                            .delete()
                            .execute(),
                    "num_deleted_rows");
        }
        return metric(
                ctx.lake
                        .delta(table)
                        .as("t")
                        .merge(
                                keys.as("s"),
                                "t.account_id = " + ctx.accountId + " AND t.`" + key + "` = s.`" + key + "`")
                        .whenMatched(flags)
                        .updateExpr(Map.of(
                                Columns.IS_DELETED,
                                "true",
                                Columns.DELETED_AT,
                                "s.deleted_at",
                                Columns.SYNCED_AT,
                                "timestamp_micros(" + ctx.syncedAtMicros + "L)",
                                Columns.RUN_ID,
                                "'" + ctx.runId + "'"))
                        .execute(),
                "num_updated_rows");
    }

    /** A MERGE's metric (Delta returns one row of them). */
    private static long metric(Dataset<Row> metrics, String name) {
        Row r = metrics.first();
        Object v = r.getAs(name);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
