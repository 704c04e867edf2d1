package io.amocrmetl.ingest;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.ingest.DeletesLoad.Signal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The {@code _deletions} table: every deletion the events and the webhooks reported, once per
 * entity, key and source, whether or not the entity's table is loaded.
 */
final class DeletionsLog {
    private DeletionsLog() {}

    /**
     * What {@code _deletions} already holds for the entities these signals name: per source,
     * "entity/key" to its deleted_at (epoch seconds). One read, limited to the keys in play.
     */
    static Map<String, Map<String, Long>> recorded(RunContext ctx, List<Signal> events, List<Signal> hooks) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        out.put(DeletesLoad.EVENT, new HashMap<>());
        out.put(DeletesLoad.WEBHOOK, new HashMap<>());
        Set<String> keys = new TreeSet<>();
        events.stream().filter(Signal::delete).forEach(x -> keys.add(x.key()));
        hooks.forEach(x -> keys.add(x.key()));
        if (keys.isEmpty()) {
            return out;
        }
        String in = String.join(
                ", ", keys.stream().map(k -> "'" + k.replace("'", "''") + "'").toList());
        for (Row r : ctx.lake
                .read(Tables.DELETIONS, ctx.accountId)
                .where("entity_key IN (" + in + ")")
                .select("source", "entity", "entity_key", Columns.DELETED_AT)
                .collectAsList()) {
            Map<String, Long> bySource = out.get(r.getString(0));
            if (bySource != null) {
                bySource.put(
                        r.getString(1) + "/" + r.getString(2),
                        r.isNullAt(3) ? 0L : r.getTimestamp(3).toInstant().getEpochSecond());
            }
        }
        return out;
    }

    /** The deletions {@code _deletions} does not hold yet from their source. */
    static List<Signal> unrecorded(List<Signal> deletes, Map<String, Long> known) {
        return deletes.stream()
                .filter(s -> !known.containsKey(s.entity() + "/" + s.key()))
                .toList();
    }

    /**
     * Records each deletion in {@code _deletions} once (a MERGE on entity, key and source; the
     * signals all of one source). An event's later deletion of the same entity (deleted, restored,
     * deleted again) moves deleted_at; a webhook delivered again (a retry whose 2xx was lost) does
     * not: the first receipt stays.
     */
    static void record(RunContext ctx, List<Signal> deletes, Map<String, Long> known) {
        if (deletes.isEmpty()) {
            return;
        }
        boolean events = deletes.get(0).source().equals(DeletesLoad.EVENT);
        Map<String, Signal> unique = new LinkedHashMap<>();
        deletes.forEach(s -> {
            if (events) {
                unique.put(s.entity() + "/" + s.key(), s);
            } else {
                unique.putIfAbsent(s.entity() + "/" + s.key(), s);
            }
        });
        // Nothing to write for what is recorded already (a later event time still is).
        unique.values()
                .removeIf(s -> known.containsKey(s.entity() + "/" + s.key())
                        && (!events || known.get(s.entity() + "/" + s.key()) >= s.at()));
        if (unique.isEmpty()) {
            return;
        }
        LakeTable t = Tables.get(Tables.DELETIONS);
        List<Row> rows = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.ofEpochSecond(0, ctx.syncedAtMicros * 1000));
        for (Signal s : unique.values()) {
            rows.add(RowFactory.create(
                    ctx.accountId,
                    s.entity(),
                    s.key(),
                    Timestamp.from(Instant.ofEpochSecond(s.at())),
                    s.source(),
                    s.detail(),
                    now,
                    ctx.runId));
        }
        var merge = ctx.lake
                .delta(t.name())
                .as("t")
                .merge(
                        ctx.spark.createDataFrame(rows, t.schema()).as("s"),
                        "t.account_id = " + ctx.accountId + " AND t.account_id = s.account_id AND t.entity = s.entity "
                                + "AND t.entity_key = s.entity_key AND t.source = s.source");
        (events ? merge.whenMatched("s.deleted_at > t.deleted_at").updateAll() : merge)
                .whenNotMatched()
                .insertAll()
                .execute();
    }
}
