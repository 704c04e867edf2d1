package io.amocrmetl.ingest;

import java.util.TreeSet;
import java.util.HashSet;
import java.util.HashMap;
import java.io.IOException;
import io.amocrmetl.source.ScanMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import static org.apache.spark.sql.functions.col;

import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.state.Journal;
import io.amocrmetl.state.SyncState;
import io.amocrmetl.webhooks.LandingInbox;
import io.amocrmetl.webhooks.WebhookSignal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletions and change signals from events (issue "Deletions"): every ingest reads, since its own
 * watermark and whatever {@code tables.events} says, the {@code *_deleted} and {@code *_restored}
 * events and the link events (reference §4.3, §7). A deletion is recorded in {@code _deletions} and
 * flags the row (or, in hard mode, removes it with its child rows); a restore or a link makes the
 * entities named be read again by id, since neither need move updated_at (a fidelity switch).
 * Events carry their time, so a row the lists showed after a deletion is not flagged.
 *
 * <p>Webhooks: the deliveries {@code webhooks serve} landed are applied too (issue "Deletions":
 * apply). A webhook carries no time (reference §6.2), so a delivery's deletions are read back by id
 * first: what the API still lists is live (a later list appearance wins), the rest is flagged.
 * Accepted or declined unsorted items (no event exists for them, §4.3) are flagged with their
 * outcome recorded in {@code _deletions.detail}. Landing files are archived after these commits.
 */
final class DeletesLoad {
    private static final Logger LOG = LoggerFactory.getLogger(DeletesLoad.class);
    static final String EVENT = "event";
    static final String WEBHOOK = "webhook";
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

    /**
     * One signal: what happened to which entity (its key: an id, or an unsorted uid), when, and
     * where from ({@value #EVENT}: the event's id in detail; {@value #WEBHOOK}: the delivery's, or
     * an unsorted item's outcome).
     */
    record Signal(String entity, String key, long at, String source, String detail, boolean delete) {
        Signal(String entity, long id, long at, String eventId, boolean delete) {
            this(entity, String.valueOf(id), at, EVENT, eventId, delete);
        }

        long id() {
            return Long.parseLong(key);
        }
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
        // The last signal per entity decides; a restore re-reads it, a delete flags it. A delete and
        // a restore of one entity in the same second cannot be ordered (the API's times are
        // seconds): the entity is read back by id, and flagged if the API no longer lists it.
        Map<String, Signal> last = new LinkedHashMap<>();
        Map<String, Set<Boolean>> sameSecond = new HashMap<>();
        deletes.stream().sorted(Comparator.comparingLong(Signal::at)).forEach(s -> {
            String k = s.entity() + "/" + s.key();
            Signal before = last.put(k, s);
            if (before == null || before.at() != s.at()) {
                sameSecond.put(k, new HashSet<>());
            }
            sameSecond.get(k).add(s.delete());
        });
        // Per table, the ids read back by id, each with the deletion applied when the API no longer lists it.
        Map<String, Map<Long, Signal>> readBack = new LinkedHashMap<>();
        List<Signal> finalDeletes = new ArrayList<>();
        // A pair at or before the last watermark was read back by the run that advanced it, at a
        // server time past the pair's second; the overlap shows it again, and reading it back
        // again would cost an idle run a request per table (issue "Incremental": done-means 2).
        Instant previous = ctx.state.get(Tables.DELETIONS).watermark();
        long settledThrough = previous == null ? Long.MIN_VALUE : previous.getEpochSecond();
        for (Map.Entry<String, Signal> e : last.entrySet()) {
            Signal s = e.getValue();
            if (sameSecond.get(e.getKey()).size() == 2) {
                if (s.at() <= settledThrough) {
                    continue;
                }
                readBack.computeIfAbsent(s.entity(), k -> new LinkedHashMap<>()).put(s.id(), new Signal(s.entity(), s.key(), s.at(),
                        EVENT, s.detail(), true));
            } else if (s.delete()) {
                finalDeletes.add(s);
            }
        }
        Map<String, Long> eventTimes = new HashMap<>();
        finalDeletes.forEach(x -> eventTimes.put(x.entity() + "/" + x.key(), x.at()));

        // Webhooks: the last delivery per entity decides, in landing order (they carry no time).
        // Its deletions are read back by id: what the API still lists is live (a later list
        // appearance wins); the rest is flagged, at the event's time when this run read one.
        LandingInbox inbox = landed(ctx, entry);
        List<Signal> hooks = inbox == null ? List.of() : webhookSignals(ctx, inbox);
        Map<String, Signal> lastHook = new LinkedHashMap<>();
        hooks.forEach(s -> lastHook.put(s.entity() + "/" + s.key(), s));
        List<Signal> hookDeletes = new ArrayList<>();
        for (Signal s : lastHook.values()) {
            if (s.entity().equals("unsorted")) {
                if (s.delete()) {
                    hookDeletes.add(s);
                }
            } else if (s.delete()) {
                readBack.computeIfAbsent(s.entity(), k -> new LinkedHashMap<>()).put(s.id(), new Signal(s.entity(), s.key(),
                        eventTimes.getOrDefault(s.entity() + "/" + s.key(), s.at()), WEBHOOK, s.detail(), true));
                hookDeletes.add(s);
            } else {
                refetch.computeIfAbsent(s.entity(), k -> new LinkedHashSet<>()).add(s.id());
                latest.put(s.entity() + "/" + s.id(), Long.MAX_VALUE);
            }
        }

        // Deletions first seen in this run: the overlap of windows (and open landing files) show older ones again.
        Map<String, Map<String, Long>> known = recorded(ctx, deletes, hookDeletes);
        List<Signal> fresh = new ArrayList<>(unrecorded(finalDeletes, known.get(EVENT)));
        fresh.addAll(unrecorded(hookDeletes.stream().filter(x -> !x.entity().equals("unsorted")).toList(), known.get(WEBHOOK)));
        recordDeletions(ctx, deletes.stream().filter(Signal::delete).toList(), known.get(EVENT));
        recordDeletions(ctx, hooks.stream().filter(Signal::delete).toList(), known.get(WEBHOOK));
        for (Map.Entry<String, List<Signal>> e : byEntity(finalDeletes).entrySet()) {
            if (loaded.contains(e.getKey())) {
                // What is read back below is decided there (that also sees a task restored, which
                // no event reports); the rest by the event's time.
                Set<Long> later = readBack.getOrDefault(e.getKey(), Map.of()).keySet();
                entry.rowsDeleted += DeletionApply.apply(ctx, e.getKey(), e.getValue().stream()
                        .filter(x -> !later.contains(x.id())).toList());
                // Rows a webhook flagged in an earlier run take the event's time now.
                DeletionApply.retime(ctx, e.getKey(), e.getValue().stream()
                        .filter(x -> known.get(WEBHOOK).containsKey(x.entity() + "/" + x.key())).toList());
            }
        }
        linkedToDeleted(ctx, fresh, loaded, refetch);
        // Restores the run that advanced the watermark past them has settled are not looked at again.
        Map<String, Set<Long>> restored = new LinkedHashMap<>();
        last.values().stream().filter(x -> !x.delete() && x.at() > settledThrough).forEach(x -> restored.computeIfAbsent(x.entity(),
                k -> new LinkedHashSet<>()).add(x.id()));
        lastHook.values().stream().filter(x -> !x.delete()).forEach(x -> restored
                .computeIfAbsent(x.entity(), k -> new LinkedHashSet<>()).add(x.id()));
        entry.requests += linkedToRestored(ctx, restored, loaded, refetch);
        Set<String> reread = new LinkedHashSet<>(refetch.keySet());
        reread.addAll(readBack.keySet());
        for (String t : reread) {
            if (!loaded.contains(t)) {
                continue;
            }
            Map<Long, Signal> back = readBack.getOrDefault(t, Map.of());
            Set<Long> ids = new LinkedHashSet<>(stale(ctx, t, refetch.getOrDefault(t, Set.of()), latest));
            ids.addAll(back.keySet());
            Set<Long> live = readLive(ctx, t, ids, entry);
            List<Signal> gone = back.entrySet().stream().filter(x -> !live.contains(x.getKey())).map(Map.Entry::getValue).toList();
            long applied = DeletionApply.applyConfirmed(ctx, t, gone);
            entry.rowsDeleted += applied;
            if (!back.isEmpty()) {
                LOG.info("{}: {} read back by id, {} still listed, {} deleted, {} rows {}", t, back.size(),
                        back.size() - gone.size(), gone.size(), applied, "hard".equals(ctx.config.deletesMode()) ? "removed" : "flagged");
            }
        }
        if (loaded.contains("unsorted")) {
            // An accepted or declined item never returns to the unsorted list: nothing to read back.
            entry.rowsDeleted += DeletionApply.applyConfirmed(ctx, "unsorted", hookDeletes.stream()
                    .filter(x -> x.entity().equals("unsorted")).toList());
        }
        SyncState.Entry next = window.advance(ctx.state.get(Tables.DELETIONS));
        ctx.state.stage(next);
        if (inbox != null) {
            LOG.info("webhooks: {}; {} signals for this account", inbox.summary(), hooks.size());
            entry.rowsRead += hooks.size();
            // Archived only after the commits above; a table not loaded this run keeps its files
            // for the next run (applying twice is harmless).
            boolean allApplied = hooks.stream().allMatch(x -> loaded.contains(x.entity()));
            int archived = allApplied ? archive(inbox) : 0;
            entry.details = "webhooks: " + inbox.summary() + "; " + hooks.size() + " signals; " + archived + " file(s) archived"
                    + (allApplied ? "" : " (kept: some name tables this run does not load)");
        }
        entry.watermarkLagSeconds = ctx.serverNow.getEpochSecond() - next.watermark().getEpochSecond();
        entry.seconds = (System.nanoTime() - started) / 1e9;
        ctx.tally(entry);
        return entry;
    }

    /**
     * The landing folder's deliveries, or null when there are none. A landing that cannot be read
     * does not stop the run (events still bring deletions); its files stay for the next one.
     */
    private static LandingInbox landed(RunContext ctx, Journal.Entry entry) {
        try {
            LandingInbox inbox = LandingInbox.read(ctx.config.webhooks(), ctx.spark.sparkContext().hadoopConfiguration());
            return inbox.isEmpty() ? null : inbox;
        } catch (RuntimeException e) {
            String why = "webhook landing " + ctx.config.webhooks().landingPath() + " not read: " + e.getMessage();
            LOG.warn(why);
            entry.details = why;
            return null;
        }
    }

    private static int archive(LandingInbox inbox) {
        try {
            return inbox.archive();
        } catch (RuntimeException e) {
            // The lake is committed; the files are applied again next run, which changes nothing.
            LOG.warn("webhook landing files not archived: {}", e.getMessage());
            return 0;
        }
    }

    /** This account's webhook signals, in landing order; each delivery's time is when it was received. */
    static List<Signal> webhookSignals(RunContext ctx, LandingInbox inbox) {
        List<Signal> out = new ArrayList<>();
        int foreign = 0;
        for (LandingInbox.Landed d : inbox.deliveries()) {
            if (d.accountId() != ctx.accountId) {
                foreign++;
                continue;
            }
            for (WebhookSignal w : d.signals()) {
                String detail = w.outcome() != null ? w.outcome() : "delivery " + d.id();
                out.add(new Signal(w.entity(), w.key(), d.receivedAtMillis() / 1000, WEBHOOK, detail, w.delete()));
            }
        }
        if (foreign > 0) {
            LOG.warn("{} landed webhook deliveries name another account than {}: not applied", foreign, ctx.accountId);
        }
        return out;
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
        extra.put(ReadOptions.IDS, String.join(",", ids.stream().map(String::valueOf).toList()));
        Dataset<Row> read = ctx.read(table, extra).select(EntityLoad.columns(spec, lt).stream()
                .filter(c -> !c.equals(ReadOptions.PID_COLUMN)).map(c -> col("`" + c + "`")).toArray(Column[]::new));
        Dataset<Row> rows = Flatten.withHash(read).localCheckpoint(true);
        Set<Long> live = new HashSet<>();
        rows.select("id").collectAsList().forEach(r -> live.add(r.getLong(0)));
        if (!live.isEmpty()) {
            entry.rowsUpserted += EntityLoad.apply(ctx, table, rows);
        }
        return live;
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

    /**
     * The other way round: entities linked to a restored company or contact get the link back
     * without moving their updated_at (a deleted entity's links are hidden, not dropped), so they
     * are read again too. Which ones, the restored record's own links say: the companies' leads and
     * contacts, the contacts' leads and customers, read by id in one request per 250.
     *
     * @return the requests made
     */
    private static long linkedToRestored(RunContext ctx, Map<String, Set<Long>> restored, Set<String> loaded,
                                         Map<String, Set<Long>> refetch) {
        long requests = 0;
        for (Map.Entry<String, List<String>> e : Map.of("companies", List.of("leads", "contacts"),
                "contacts", List.of("leads", "customers")).entrySet()) {
            Set<Long> ids = restored.getOrDefault(e.getKey(), Set.of());
            List<String> partners = e.getValue().stream().filter(loaded::contains).toList();
            if (ids.isEmpty() || partners.isEmpty() || !loaded.contains(e.getKey())) {
                continue;
            }
            Dataset<Row> read = ctx.read(e.getKey(), Map.of(ReadOptions.IDS, String.join(",", ids.stream()
                    .map(String::valueOf).toList()))).select(partners.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
            for (Row r : read.collectAsList()) {
                for (int i = 0; i < partners.size(); i++) {
                    if (!r.isNullAt(i)) {
                        Set<Long> into = refetch.computeIfAbsent(partners.get(i), k -> new LinkedHashSet<>());
                        r.<Row>getList(i).forEach(link -> into.add(link.getLong(0)));
                    }
                }
            }
            requests += ScanMetrics.of(read).requests();
        }
        return requests;
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
        Map<Long, Long> lake = new HashMap<>();
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
            JsonNode n = new ObjectMapper().readTree(json);
            for (JsonNode item : n) {
                JsonNode entity = item.path("link").path("entity");
                String plural = PLURAL.get(entity.path("type").asText(""));
                if (plural != null && entity.path("id").canConvertToLong()) {
                    refetch.computeIfAbsent(plural, k -> new LinkedHashSet<>()).add(entity.path("id").asLong());
                    named.add(plural + "/" + entity.path("id").asLong());
                }
            }
        } catch (IOException e) {
            // An odd value_after shape: the entity itself is still re-read.
        }
        return named;
    }

    /**
     * What {@code _deletions} already holds for the entities these signals name: per source,
     * "entity/key" to its deleted_at (epoch seconds). One read, limited to the keys in play.
     */
    private static Map<String, Map<String, Long>> recorded(RunContext ctx, List<Signal> events, List<Signal> hooks) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        out.put(EVENT, new HashMap<>());
        out.put(WEBHOOK, new HashMap<>());
        Set<String> keys = new TreeSet<>();
        events.stream().filter(Signal::delete).forEach(x -> keys.add(x.key()));
        hooks.forEach(x -> keys.add(x.key()));
        if (keys.isEmpty()) {
            return out;
        }
        String in = String.join(", ", keys.stream().map(k -> "'" + k.replace("'", "''") + "'").toList());
        for (Row r : ctx.lake.read(Tables.DELETIONS, ctx.accountId).where("entity_key IN (" + in + ")")
                .select("source", "entity", "entity_key", "deleted_at").collectAsList()) {
            Map<String, Long> bySource = out.get(r.getString(0));
            if (bySource != null) {
                bySource.put(r.getString(1) + "/" + r.getString(2), r.isNullAt(3) ? 0L : r.getTimestamp(3).toInstant().getEpochSecond());
            }
        }
        return out;
    }

    /** The deletions {@code _deletions} does not hold yet from their source. */
    private static List<Signal> unrecorded(List<Signal> deletes, Map<String, Long> known) {
        return deletes.stream().filter(s -> !known.containsKey(s.entity() + "/" + s.key())).toList();
    }

    /**
     * Records each deletion in {@code _deletions} once (a MERGE on entity, key and source; the
     * signals all of one source). An event's later deletion of the same entity (deleted, restored,
     * deleted again) moves deleted_at; a webhook delivered again (a retry whose 2xx was lost) does
     * not: the first receipt stays.
     */
    static void recordDeletions(RunContext ctx, List<Signal> deletes, Map<String, Long> known) {
        if (deletes.isEmpty()) {
            return;
        }
        boolean events = deletes.get(0).source().equals(EVENT);
        Map<String, Signal> unique = new LinkedHashMap<>();
        deletes.forEach(s -> {
            if (events) {
                unique.put(s.entity() + "/" + s.key(), s);
            } else {
                unique.putIfAbsent(s.entity() + "/" + s.key(), s);
            }
        });
        // Nothing to write for what is recorded already (a later event time still is).
        unique.values().removeIf(s -> known.containsKey(s.entity() + "/" + s.key())
                && (!events || known.get(s.entity() + "/" + s.key()) >= s.at()));
        if (unique.isEmpty()) {
            return;
        }
        LakeTable t = Tables.get(Tables.DELETIONS);
        List<Row> rows = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.ofEpochSecond(0, ctx.syncedAtMicros * 1000));
        for (Signal s : unique.values()) {
            rows.add(RowFactory.create(ctx.accountId, s.entity(), s.key(), Timestamp.from(Instant.ofEpochSecond(s.at())),
                    s.source(), s.detail(), now, ctx.runId));
        }
        var merge = ctx.lake.delta(t.name()).as("t").merge(ctx.spark.createDataFrame(rows, t.schema()).as("s"),
                "t.account_id = " + ctx.accountId + " AND t.account_id = s.account_id AND t.entity = s.entity "
                        + "AND t.entity_key = s.entity_key AND t.source = s.source");
        (events ? merge.whenMatched("s.deleted_at > t.deleted_at").updateAll() : merge).whenNotMatched().insertAll().execute();
    }

    /** The (key, deleted_at) pairs handed to {@link DeletionApply}: the key typed and named as the table's. */
    static Dataset<Row> keyFrame(RunContext ctx, LakeTable table, List<Signal> signals) {
        String key = table.key().get(table.key().size() - 1);
        boolean numeric = table.schema().apply(key).dataType().equals(DataTypes.LongType);
        StructType schema = new StructType().add(key, numeric ? DataTypes.LongType : DataTypes.StringType)
                .add("deleted_at", DataTypes.TimestampType);
        List<Row> rows = new ArrayList<>();
        for (Signal s : signals) {
            rows.add(RowFactory.create(numeric ? (Object) s.id() : s.key(), Timestamp.from(Instant.ofEpochSecond(s.at()))));
        }
        return ctx.spark.createDataFrame(rows, schema).dropDuplicates(key);
    }
}
