package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.LakeWrites;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.source.ScanMetrics;
import io.amocrmetl.state.Journal;
import io.amocrmetl.state.SyncState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code lead_status_history} from {@code lead_status_changed} events (docs/lakehouse.md):
 * one row per change, with the pipeline and status before and after (docs/amocrm-api.md
 * §4.3: {@code value_before/value_after[0].lead_status.{id, pipeline_id}}). It loads whatever
 * {@code tables.events} says; its coverage start is in {@code _sync_state}.
 */
final class StatusHistoryLoad {
    static final String TYPE = "lead_status_changed";

    private StatusHistoryLoad() {}

    static Journal.Entry run(RunContext ctx, IngestWindow window) {
        return write(ctx, fetch(ctx, window));
    }

    static Fetched fetch(RunContext ctx, IngestWindow window) {
        long started = System.nanoTime();
        Journal.Entry entry = new Journal.Entry(Tables.LEAD_STATUS_HISTORY);
        entry.windowFrom = window.fromInstant();
        entry.windowTo = window.toInstant();
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(ReadOptions.FROM, String.valueOf(window.from()));
        extra.put(ReadOptions.TO, String.valueOf(window.to()));
        RunContext.Materialized got = ctx.materialize(
                Tables.LEAD_STATUS_HISTORY,
                () -> ctx.read(Tables.EVENTS, extra)
                        .where("type = '" + TYPE + "'")
                        .select(
                                "id",
                                Columns.ENTITY_ID,
                                Columns.CREATED_AT,
                                "created_by",
                                "value_before",
                                "value_after",
                                Columns.ACCOUNT_ID));
        Dataset<Row> read = got.read();
        Dataset<Row> rows = got.rows();
        ScanMetrics m = ScanMetrics.of(read);
        entry.requests = m.requests();
        entry.retries = m.retries();
        entry.tooManyRequests = m.tooManyRequests();
        entry.limiterWaitMs = m.limiterWaitMs();
        entry.rowsRead = rows.count();
        return new Fetched(Tables.LEAD_STATUS_HISTORY, rows, entry, window, started);
    }

    static Journal.Entry write(RunContext ctx, Fetched f) {
        LakeTable lt = Tables.get(Tables.LEAD_STATUS_HISTORY);
        Journal.Entry entry = f.entry();
        Dataset<Row> rows = f.rows();
        if (entry.rowsRead > 0) {
            Dataset<Row> history = rows.select(
                            col(Columns.ACCOUNT_ID),
                            col("id").as("event_id"),
                            col(Columns.ENTITY_ID).as("lead_id"),
                            expr("cast(get_json_object(value_before, '$[0].lead_status.pipeline_id') AS BIGINT)")
                                    .as("from_pipeline_id"),
                            expr("cast(get_json_object(value_before, '$[0].lead_status.id') AS BIGINT)")
                                    .as("from_status_id"),
                            expr("cast(get_json_object(value_after, '$[0].lead_status.pipeline_id') AS BIGINT)")
                                    .as("to_pipeline_id"),
                            expr("cast(get_json_object(value_after, '$[0].lead_status.id') AS BIGINT)")
                                    .as("to_status_id"),
                            col(Columns.CREATED_AT).as("changed_at"),
                            col("created_by").as("changed_by"),
                            expr("timestamp_micros(" + ctx.syncedAtMicros + "L)")
                                    .as(Columns.SYNCED_AT),
                            lit(ctx.runId).as(Columns.RUN_ID))
                    .dropDuplicates(Columns.ACCOUNT_ID, "event_id");
            // Events never change: only ids the lake lacks are written.
            Dataset<Row> fresh = history.join(
                            ctx.lake.read(lt.name(), ctx.accountId).select("event_id"), "event_id", "left_anti")
                    .select(
                            lt.schema().fieldNames()[0],
                            Arrays.copyOfRange(
                                    lt.schema().fieldNames(), 1, lt.schema().size()));
            if (!fresh.isEmpty()) {
                LakeWrites.insertNew(ctx.lake, lt, ctx.accountId, fresh);
            }
            entry.rowsUpserted = entry.rowsRead;
        }
        SyncState.Entry next = f.window().advance(ctx.state.get(lt.name()));
        ctx.state.stage(next);
        entry.watermarkLagSeconds =
                ctx.serverNow.getEpochSecond() - next.watermark().getEpochSecond();
        entry.seconds = (System.nanoTime() - f.startedNanos()) / 1e9;
        ctx.tally(entry);
        return entry;
    }
}
