package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.ingest.DeletesLoad.Signal;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.state.Journal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the deletions step reads again by id, per table: entities restored or linked (neither need
 * move updated_at), entities linked to deleted or restored ones, and deletions to confirm (a
 * webhook's, a delete and a restore in one second): what the API still lists is live and written as
 * a window's rows are, the rest is deleted.
 */
final class Rereads {
    /** Logged as the deletions step it is part of. */
    private static final Logger LOG = LoggerFactory.getLogger(DeletesLoad.class);
    /** Per table, the ids to read again, in the order they were named. */
    private final Map<String, Set<Long>> refetch = new LinkedHashMap<>();
    /** Per "table/id", its latest signal's time (epoch seconds). */
    private final Map<String, Long> latest = new LinkedHashMap<>();
    /** Per table, the deletions read back by id, each applied when the API no longer lists it. */
    private final Map<String, Map<Long, Signal>> readBack = new LinkedHashMap<>();

    /** The table's ids to read again (to add to). */
    Set<Long> of(String table) {
        return refetch.computeIfAbsent(table, k -> new LinkedHashSet<>());
    }

    /** An entity a signal at {@code at} names: read again unless the lake's row is as new. */
    void signalled(String table, long id, long at) {
        of(table).add(id);
        latest.merge(table + "/" + id, at, Math::max);
    }

    /** An entity a signal without a time names (a webhook): read again whatever the lake holds. */
    void signalledNow(String table, long id) {
        of(table).add(id);
        latest.put(table + "/" + id, Long.MAX_VALUE);
    }

    /** A deletion to confirm: applied when the API no longer lists the id. */
    void confirm(Signal s) {
        readBack.computeIfAbsent(s.entity(), k -> new LinkedHashMap<>()).put(s.id(), s);
    }

    /** The ids of the table's deletions to confirm. */
    Set<Long> confirming(String table) {
        return readBack.getOrDefault(table, Map.of()).keySet();
    }

    /**
     * Reads every loaded table's ids again: the ones whose lake row predates their signal, and the
     * deletions to confirm, which are applied where the API no longer lists them.
     */
    void read(RunContext ctx, Set<String> loaded, Journal.Entry entry) {
        Set<String> reread = new LinkedHashSet<>(refetch.keySet());
        reread.addAll(readBack.keySet());
        for (String t : reread) {
            if (!loaded.contains(t)) {
                continue;
            }
            Map<Long, Signal> back = readBack.getOrDefault(t, Map.of());
            Set<Long> ids = new LinkedHashSet<>(stale(ctx, t, refetch.getOrDefault(t, Set.of())));
            ids.addAll(back.keySet());
            Set<Long> live = readLive(ctx, t, ids, entry);
            seenLive(ctx, t, back.keySet().stream().filter(live::contains).toList());
            List<Signal> gone = back.entrySet().stream()
                    .filter(x -> !live.contains(x.getKey()))
                    .map(Map.Entry::getValue)
                    .toList();
            long applied = DeletionApply.applyConfirmed(ctx, t, gone);
            entry.rowsDeleted += applied;
            if (!back.isEmpty()) {
                LOG.info(
                        "{}: {} read back by id, {} still listed, {} deleted, {} rows {}",
                        t,
                        back.size(),
                        back.size() - gone.size(),
                        gone.size(),
                        applied,
                        "hard".equals(ctx.config.deletesMode()) ? "removed" : "flagged");
            }
        }
    }

    /**
     * Reads entities by id and writes the ones the API lists, as a window's rows are written;
     * returns their ids. Used for restores and links (which need not move updated_at) and to
     * confirm a webhook's deletions.
     */
    private static Set<Long> readLive(RunContext ctx, String table, Set<Long> ids, Journal.Entry entry) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        EntitySpec spec = Entities.get(table);
        LakeTable lt = Tables.get(table);
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(
                ReadOptions.IDS,
                String.join(",", ids.stream().map(String::valueOf).toList()));
        Dataset<Row> read = ctx.read(table, extra)
                .select(EntityLoad.columns(spec, lt).stream()
                        .filter(c -> !c.equals(ReadOptions.PID_COLUMN))
                        .map(c -> col("`" + c + "`"))
                        .toArray(Column[]::new));
        Dataset<Row> rows = Flatten.withHash(read).localCheckpoint(true);
        Set<Long> live = new HashSet<>();
        rows.select("id").collectAsList().forEach(r -> live.add(r.getLong(0)));
        if (!live.isEmpty()) {
            entry.rowsUpserted += EntityLoad.apply(ctx, table, rows);
        }
        return live;
    }

    /**
     * Marks rows a deletion's read-back found still listed as seen live by this run, even when
     * nothing in them changed (the write above skips unchanged rows). Without it, once the webhook
     * is archived, the deletion's event in the next run's overlap would flag the row again: tasks
     * have no restore event (docs/amocrm-api.md §4.3), and events only spare rows seen live after
     * them ({@link DeletionApply}).
     */
    private static void seenLive(RunContext ctx, String table, List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        LakeTable t = Tables.get(table);
        String key = t.key().get(t.key().size() - 1);
        Column synced = expr("timestamp_micros(" + ctx.syncedAtMicros + "L)");
        ctx.lake
                .delta(table)
                .update(
                        col(Columns.ACCOUNT_ID)
                                .equalTo(ctx.accountId)
                                .and(col(key).isin(ids.toArray()))
                                .and(col(Columns.SYNCED_AT).lt(synced)),
                        Map.of(Columns.SYNCED_AT, synced));
    }

    /**
     * The ids whose lake row predates their signal: a restore or a link that moved updated_at was
     * already read by this run's window; only the ones that did not need a read by id.
     */
    private List<Long> stale(RunContext ctx, String table, Set<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Long> lake = new HashMap<>();
        String cursor =
                Tables.get(table).schema().getFieldIndex(Columns.UPDATED_AT).isDefined()
                        ? Columns.UPDATED_AT
                        : Columns.CREATED_AT;
        for (Row r : ctx.lake
                .read(table, ctx.accountId)
                .where("id IN ("
                        + String.join(",", ids.stream().map(String::valueOf).toList()) + ") AND NOT is_deleted")
                .select(col("id"), col(cursor))
                .collectAsList()) {
            lake.put(
                    r.getLong(0),
                    r.isNullAt(1)
                            ? Long.MIN_VALUE
                            : r.getTimestamp(1).toInstant().getEpochSecond());
        }
        List<Long> out = new ArrayList<>();
        for (long id : ids) {
            Long seen = lake.get(id);
            Long signal = latest.get(table + "/" + id);
            if (seen == null || signal == null || seen < signal) {
                out.add(id);
            }
        }
        return out;
    }
}
