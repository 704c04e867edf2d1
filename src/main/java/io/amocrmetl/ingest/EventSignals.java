package io.amocrmetl.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.ingest.DeletesLoad.Signal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The deletion, restore and link events of a run's events read (docs/amocrm-api.md §4.3, §7), as
 * signals: which deletions they decide, and which entities they name to be read again by id (a
 * restore or a link need not move updated_at). Events carry their time, so the last signal per
 * entity decides.
 */
final class EventSignals {
    static final Map<String, String> DELETED = Map.of(
            "lead_deleted",
            Tables.LEADS,
            "contact_deleted",
            Tables.CONTACTS,
            "company_deleted",
            Tables.COMPANIES,
            "task_deleted",
            Tables.TASKS);
    static final Map<String, String> RESTORED = Map.of(
            "lead_restored", Tables.LEADS, "contact_restored", Tables.CONTACTS, "company_restored", Tables.COMPANIES);
    static final List<String> LINKS = List.of(
            "entity_linked",
            "entity_unlinked",
            "lead_linked",
            "lead_unlinked",
            "contact_linked",
            "contact_unlinked",
            "company_linked",
            "company_unlinked");

    /** Every deletion and restore the events carry, in the events' order. */
    final List<Signal> signals;
    /** The last signal per entity ("entity/key"). */
    final Map<String, Signal> last;
    /** The deletions the events decide: an entity's last signal, where no restore shares its second. */
    final List<Signal> deletions;
    /** Restores and same-second pairs at or before this second (epoch) were settled by an earlier run. */
    final long settledThrough;

    private EventSignals(List<Signal> signals, Map<String, Signal> last, List<Signal> deletions, long settledThrough) {
        this.signals = signals;
        this.last = last;
        this.deletions = deletions;
        this.settledThrough = settledThrough;
    }

    /** The event types this step reads (whatever tables.events says). */
    static List<String> types() {
        List<String> types = new ArrayList<>();
        types.addAll(DELETED.keySet());
        types.addAll(RESTORED.keySet());
        types.addAll(LINKS);
        return types;
    }

    /** The events of these types in a shared read (any types), collected. */
    static List<Row> select(Dataset<Row> read) {
        return read.where("type IN ("
                        + String.join(
                                ", ", types().stream().map(t -> "'" + t + "'").toList()) + ")")
                .select(
                        "id",
                        "type",
                        Columns.ENTITY_ID,
                        Columns.ENTITY_TYPE,
                        Columns.CREATED_AT,
                        "value_after",
                        "value_before")
                .collectAsList();
    }

    /**
     * @param events rows of {@link #select}
     * @param settledThrough the deletions' watermark (epoch seconds; Long.MIN_VALUE: none yet)
     * @param rereads takes the entities restores and links name, and the same-second pairs to confirm
     */
    static EventSignals of(List<Row> events, long settledThrough, Rereads rereads) {
        List<Signal> signals = new ArrayList<>();
        for (Row e : events) {
            String type = e.getString(1);
            long at = e.getTimestamp(4).toInstant().getEpochSecond();
            if (DELETED.containsKey(type)) {
                signals.add(new Signal(DELETED.get(type), e.getLong(2), at, e.getString(0), true));
            } else if (RESTORED.containsKey(type)) {
                signals.add(new Signal(RESTORED.get(type), e.getLong(2), at, e.getString(0), false));
                rereads.signalled(RESTORED.get(type), e.getLong(2), at);
            } else {
                link(e, at, rereads);
            }
        }
        return decide(signals, settledThrough, rereads);
    }

    /** A link event: its entity and the ones on the other side are read again. */
    private static void link(Row e, long at, Rereads rereads) {
        String entity = EntityFacts.bySingular(e.getString(3)).orElse(null);
        if (entity != null) {
            rereads.signalled(entity, e.getLong(2), at);
        }
        for (int col = 5; col <= 6; col++) {
            linked(e.isNullAt(col) ? null : e.getString(col), at, rereads);
        }
    }

    /**
     * The last signal per entity decides; a restore re-reads it, a delete flags it. A delete and a
     * restore of one entity in the same second cannot be ordered (the API's times are seconds): the
     * entity is read back by id, and flagged if the API no longer lists it.
     */
    private static EventSignals decide(List<Signal> signals, long settledThrough, Rereads rereads) {
        Map<String, Signal> last = new LinkedHashMap<>();
        Map<String, Set<Boolean>> sameSecond = new HashMap<>();
        signals.stream().sorted(Comparator.comparingLong(Signal::at)).forEach(s -> {
            String k = s.entity() + "/" + s.key();
            Signal before = last.put(k, s);
            if (before == null || before.at() != s.at()) {
                sameSecond.put(k, new HashSet<>());
            }
            sameSecond.get(k).add(s.delete());
        });
        List<Signal> deletions = new ArrayList<>();
        for (Map.Entry<String, Signal> e : last.entrySet()) {
            Signal s = e.getValue();
            if (sameSecond.get(e.getKey()).size() == 2) {
                // A pair at or before the last watermark was read back by the run that advanced it,
                // at a server time past the pair's second; the overlap shows it again, and reading it
                // back again would cost an idle run a request per table.
                if (s.at() <= settledThrough) {
                    continue;
                }
                rereads.confirm(new Signal(s.entity(), s.key(), s.at(), DeletesLoad.EVENT, s.detail(), true));
            } else if (s.delete()) {
                deletions.add(s);
            }
        }
        return new EventSignals(signals, last, deletions, settledThrough);
    }

    /** Per "entity/key", the time of the deletion the events decide. */
    Map<String, Long> deletionTimes() {
        Map<String, Long> out = new HashMap<>();
        deletions.forEach(x -> out.put(x.entity() + "/" + x.key(), x.at()));
        return out;
    }

    /** Adds, per entity, the ids whose last signal is a restore not settled by an earlier run. */
    void restoredInto(Map<String, Set<Long>> restored) {
        last.values().stream()
                .filter(x -> !x.delete() && x.at() > settledThrough)
                .forEach(x -> restored.computeIfAbsent(x.entity(), k -> new LinkedHashSet<>())
                        .add(x.id()));
    }

    /**
     * The other side of a link event: {@code [{"link": {"entity": {"id": .., "type": ..}}}]}
     * (docs/amocrm-api.md §4.3); each entity named is read again.
     */
    private static void linked(String json, long at, Rereads rereads) {
        if (json == null) {
            return;
        }
        try {
            JsonNode n = new ObjectMapper().readTree(json);
            for (JsonNode item : n) {
                JsonNode entity = item.path("link").path("entity");
                String plural =
                        EntityFacts.bySingular(entity.path("type").asText("")).orElse(null);
                if (plural != null && entity.path("id").canConvertToLong()) {
                    rereads.signalled(plural, entity.path("id").asLong(), at);
                }
            }
        } catch (IOException e) {
            // An odd value_after shape: the entity itself is still re-read.
        }
    }
}
