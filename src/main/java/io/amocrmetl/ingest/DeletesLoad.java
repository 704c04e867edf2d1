package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;

import io.amocrmetl.lake.LakeTable;
import io.amocrmetl.lake.Tables;
import io.amocrmetl.state.Journal;
import io.amocrmetl.state.SyncState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Deletions and change signals from events (issue "Deletions"): every ingest reads, since its own
 * watermark and whatever {@code tables.events} says, the {@code *_deleted} and {@code *_restored}
 * events and the link events (reference §4.3, §7). A deletion is recorded in {@code _deletions} and
 * flags the row (or, in hard mode, removes it with its child rows); a restore or a link makes the
 * entities named be read again by id, since neither need move updated_at (a fidelity switch).
 * Events carry their time, so a row the lists showed after a deletion is not flagged.
 */
final class DeletesLoad {
    static final Map<String, String> DELETED = Map.of("lead_deleted", "leads", "contact_deleted", "contacts",
            "company_deleted", "companies", "task_deleted", "tasks");
    static final Map<String, String> RESTORED = Map.of("lead_restored", "leads", "contact_restored", "contacts",
            "company_restored", "companies");
    static final List<String> LINKS = List.of("entity_linked", "entity_unlinked", "lead_linked", "lead_unlinked",
            "contact_linked", "contact_unlinked", "company_linked", "company_unlinked");
    /** The events API's singular entity names (reference §4.3). */
    static final Map<String, String> PLURAL = Map.of("lead", "leads", "contact", "contacts", "company", "companies",
            "task", "tasks", "customer", "customers");

    private DeletesLoad() {
    }

    /** One signal: what happened to which entity, and when. */
    record Signal(String entity, long id, long at, String eventId, boolean delete) {
    }

    /** The event types this step reads (whatever tables.events says). */
    static List<String> types() {
        List<String> types = new ArrayList<>();
        types.addAll(DELETED.keySet());
        types.addAll(RESTORED.keySet());
        types.addAll(LINKS);
        return types;
    }

    /**
     * @param read events of the run's shared read (any types; the ones here are picked)
     * @param requests the requests that read cost (journalled with the events table when it loads)
     */
    static Journal.Entry run(RunContext ctx, IngestWindow window, Set<String> loaded, Dataset<Row> read, long requests) {
        long started = System.nanoTime();
        Journal.Entry entry = new Journal.Entry(Tables.DELETIONS);
        entry.windowFrom = window.fromInstant();
        entry.windowTo = window.toInstant();
        List<Row> events = read.where("type IN (" + String.join(", ", types().stream().map(t -> "'" + t + "'").toList()) + ")")
                .select("id", "type", "entity_id", "entity_type", "created_at", "value_after", "value_before").collectAsList();
        entry.requests = requests;
        entry.rowsRead = events.size();

        List<Signal> deletes = new ArrayList<>();
        Map<String, Set<Long>> refetch = new LinkedHashMap<>();
        Map<String, Long> latest = new LinkedHashMap<>();
        for (Row e : events) {
            String type = e.getString(1);
            long at = e.getTimestamp(4).toInstant().getEpochSecond();
            if (DELETED.containsKey(type)) {
                deletes.add(new Signal(DELETED.get(type), e.getLong(2), at, e.getString(0), true));
            } else if (RESTORED.containsKey(type)) {
                deletes.add(new Signal(RESTORED.get(type), e.getLong(2), at, e.getString(0), false));
                refetch.computeIfAbsent(RESTORED.get(type), k -> new LinkedHashSet<>()).add(e.getLong(2));
                latest.merge(RESTORED.get(type) + "/" + e.getLong(2), at, Math::max);
            } else {
                String entity = PLURAL.get(e.getString(3));
                if (entity != null) {
                    refetch.computeIfAbsent(entity, k -> new LinkedHashSet<>()).add(e.getLong(2));
                    latest.merge(entity + "/" + e.getLong(2), at, Math::max);
                }
                for (int col = 5; col <= 6; col++) {
                    for (String other : linked(e.isNullAt(col) ? null : e.getString(col), refetch)) {
                        latest.merge(other, at, Math::max);
                    }
                }
            }
        }
        // The last signal per entity decides; a restore re-reads it, a delete flags it.
        Map<String, Signal> last = new LinkedHashMap<>();
        deletes.stream().sorted(Comparator.comparingLong(Signal::at)).forEach(s -> last.put(s.entity() + "/" + s.id(), s));
        List<Signal> finalDeletes = last.values().stream().filter(Signal::delete).toList();
        // Deletions first seen in this run: the overlap of windows shows older ones again.
        List<Signal> fresh = unrecorded(ctx, finalDeletes);
        recordDeletions(ctx, deletes.stream().filter(Signal::delete).toList());
        for (Map.Entry<String, List<Signal>> e : byEntity(finalDeletes).entrySet()) {
            if (loaded.contains(e.getKey())) {
                entry.rowsDeleted += DeletionApply.apply(ctx, e.getKey(), e.getValue());
            }
        }
        linkedToDeleted(ctx, fresh, loaded, refetch);
        for (Map.Entry<String, Set<Long>> e : refetch.entrySet()) {
            if (loaded.contains(e.getKey())) {
                entry.rowsUpserted += EntityLoad.refetch(ctx, e.getKey(), stale(ctx, e.getKey(), e.getValue(), latest));
            }
        }
        SyncState.Entry next = window.advance(ctx.state.get(Tables.DELETIONS));
        ctx.state.stage(next);
        entry.watermarkLagSeconds = ctx.serverNow.getEpochSecond() - next.watermark().getEpochSecond();
        entry.seconds = (System.nanoTime() - started) / 1e9;
        ctx.tally(entry);
        return entry;
    }

    /**
     * Entities linked to a deleted company or contact lose the link without moving their
     * updated_at, so they are read again: leads and contacts of a deleted company, leads and
     * customers of a deleted contact.
     */
    private static void linkedToDeleted(RunContext ctx, List<Signal> deletes, Set<String> loaded, Map<String, Set<Long>> refetch) {
        Map<String, List<Signal>> by = byEntity(deletes);
        String companies = ids(by.get("companies"));
        if (companies != null) {
            for (String t : List.of("leads", "contacts")) {
                if (loaded.contains(t)) {
                    collect(ctx.lake.read(t, ctx.accountId).where("company_id IN (" + companies + ")").select("id"),
                            refetch.computeIfAbsent(t, k -> new LinkedHashSet<>()));
                }
            }
        }
        String contacts = ids(by.get("contacts"));
        if (contacts != null) {
            if (loaded.contains("leads")) {
                collect(ctx.lake.read(Tables.LEAD_CONTACTS, ctx.accountId).where("contact_id IN (" + contacts + ")")
                        .select("lead_id"), refetch.computeIfAbsent("leads", k -> new LinkedHashSet<>()));
            }
            if (loaded.contains("customers")) {
                collect(ctx.lake.read(Tables.CUSTOMER_CONTACTS, ctx.accountId).where("contact_id IN (" + contacts + ")")
                        .select("customer_id"), refetch.computeIfAbsent("customers", k -> new LinkedHashSet<>()));
            }
        }
    }

    private static String ids(List<Signal> signals) {
        return signals == null || signals.isEmpty() ? null
                : String.join(",", signals.stream().map(s -> String.valueOf(s.id())).toList());
    }

    private static void collect(Dataset<Row> ids, Set<Long> into) {
        ids.collectAsList().forEach(r -> into.add(r.getLong(0)));
    }

    private static Map<String, List<Signal>> byEntity(List<Signal> signals) {
        Map<String, List<Signal>> out = new LinkedHashMap<>();
        signals.forEach(s -> out.computeIfAbsent(s.entity(), k -> new ArrayList<>()).add(s));
        return out;
    }

    /**
     * The ids whose lake row predates their signal: a restore or a link that moved updated_at was
     * already read by this run's window; only the ones that did not need a read by id.
     */
    private static List<Long> stale(RunContext ctx, String table, Set<Long> ids, Map<String, Long> latest) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Long> lake = new java.util.HashMap<>();
        String cursor = Tables.get(table).schema().getFieldIndex("updated_at").isDefined() ? "updated_at" : "created_at";
        for (Row r : ctx.lake.read(table, ctx.accountId).where("id IN (" + String.join(",", ids.stream().map(String::valueOf)
                .toList()) + ") AND NOT is_deleted").select(col("id"), col(cursor)).collectAsList()) {
            lake.put(r.getLong(0), r.isNullAt(1) ? Long.MIN_VALUE : r.getTimestamp(1).toInstant().getEpochSecond());
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

    /** The other side of a link event: {@code [{"link": {"entity": {"id": .., "type": ..}}}]} (reference §4.3). */
    private static List<String> linked(String json, Map<String, Set<Long>> refetch) {
        List<String> named = new ArrayList<>();
        if (json == null) {
            return named;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            for (com.fasterxml.jackson.databind.JsonNode item : n) {
                com.fasterxml.jackson.databind.JsonNode entity = item.path("link").path("entity");
                String plural = PLURAL.get(entity.path("type").asText(""));
                if (plural != null && entity.path("id").canConvertToLong()) {
                    refetch.computeIfAbsent(plural, k -> new LinkedHashSet<>()).add(entity.path("id").asLong());
                    named.add(plural + "/" + entity.path("id").asLong());
                }
            }
        } catch (java.io.IOException e) {
            // An odd value_after shape: the entity itself is still re-read.
        }
        return named;
    }

    /** The deletions {@code _deletions} does not hold yet (from events). */
    private static List<Signal> unrecorded(RunContext ctx, List<Signal> deletes) {
        if (deletes.isEmpty()) {
            return deletes;
        }
        Set<String> known = new java.util.HashSet<>();
        for (Row r : ctx.lake.read(Tables.DELETIONS, ctx.accountId).where("source = 'event'")
                .select("entity", "entity_key").collectAsList()) {
            known.add(r.getString(0) + "/" + r.getString(1));
        }
        return deletes.stream().filter(s -> !known.contains(s.entity() + "/" + s.id())).toList();
    }

    /** Appends each deletion to {@code _deletions} once (a MERGE on entity, key and source). */
    static void recordDeletions(RunContext ctx, List<Signal> deletes) {
        if (deletes.isEmpty()) {
            return;
        }
        LakeTable t = Tables.get(Tables.DELETIONS);
        List<Row> rows = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.ofEpochSecond(0, ctx.syncedAtMicros * 1000));
        Map<String, Signal> unique = new LinkedHashMap<>();
        deletes.forEach(s -> unique.put(s.entity() + "/" + s.id(), s));
        for (Signal s : unique.values()) {
            rows.add(RowFactory.create(ctx.accountId, s.entity(), String.valueOf(s.id()), Timestamp.from(Instant.ofEpochSecond(s.at())),
                    "event", s.eventId(), now, ctx.runId));
        }
        ctx.lake.delta(t.name()).as("t").merge(ctx.spark.createDataFrame(rows, t.schema()).as("s"),
                        "t.account_id = " + ctx.accountId + " AND t.account_id = s.account_id AND t.entity = s.entity "
                                + "AND t.entity_key = s.entity_key AND t.source = s.source")
                .whenMatched("s.deleted_at > t.deleted_at").updateAll().whenNotMatched().insertAll().execute();
    }

    /** The schema of (id, deleted_at) pairs handed to {@link DeletionApply}. */
    static final StructType IDS = new StructType().add("id", DataTypes.LongType).add("deleted_at", DataTypes.TimestampType);

    static Dataset<Row> idFrame(RunContext ctx, List<Signal> signals) {
        List<Row> rows = new ArrayList<>();
        for (Signal s : signals) {
            rows.add(RowFactory.create(s.id(), Timestamp.from(Instant.ofEpochSecond(s.at()))));
        }
        return ctx.spark.createDataFrame(rows, IDS).dropDuplicates("id").select(col("id"), col("deleted_at"));
    }
}
