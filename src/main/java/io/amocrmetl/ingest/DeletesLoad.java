package io.amocrmetl.ingest;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.state.Journal;
import io.amocrmetl.state.SyncState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Deletions and change signals from events (docs/lakehouse.md): every ingest reads, since its own
 * watermark and whatever {@code tables.events} says, the {@code *_deleted} and {@code *_restored}
 * events and the link events ({@link EventSignals}). A deletion is recorded in {@code _deletions}
 * ({@link DeletionsLog}) and flags the row (or, in hard mode, removes it with its child rows:
 * {@link DeletionApply}); a restore or a link makes the entities named be read again by id
 * ({@link Rereads}), since neither need move updated_at (a fidelity switch). Events carry their
 * time, so a row the lists showed after a deletion is not flagged.
 *
 * <p>Webhooks: the deliveries {@code webhooks serve} landed are applied too ({@link LandedWebhooks}).
 */
final class DeletesLoad {
    static final String EVENT = "event";
    static final String WEBHOOK = "webhook";

    private DeletesLoad() {}

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

        /** The signals per entity, in their order. */
        static Map<String, List<Signal>> byEntity(List<Signal> signals) {
            Map<String, List<Signal>> out = new LinkedHashMap<>();
            signals.forEach(
                    s -> out.computeIfAbsent(s.entity(), k -> new ArrayList<>()).add(s));
            return out;
        }
    }

    /**
     * @param read events of the run's shared read (any types; the ones here are picked)
     * @param requests the requests that read cost (journalled with the events table when it loads)
     */
    static Journal.Entry run(
            RunContext ctx, IngestWindow window, Set<String> loaded, Dataset<Row> read, long requests) {
        long started = System.nanoTime();
        Journal.Entry entry = new Journal.Entry(Tables.DELETIONS);
        entry.windowFrom = window.fromInstant();
        entry.windowTo = window.toInstant();
        List<Row> rows = EventSignals.select(read);
        entry.requests = requests;
        entry.rowsRead = rows.size();

        Rereads rereads = new Rereads();
        Instant previous = ctx.state.get(Tables.DELETIONS).watermark();
        EventSignals events =
                EventSignals.of(rows, previous == null ? Long.MIN_VALUE : previous.getEpochSecond(), rereads);
        LandedWebhooks hooks = LandedWebhooks.read(ctx, entry, events.deletionTimes(), rereads);

        // Deletions first seen in this run: the overlap of windows (and open landing files) show older ones again.
        Map<String, Map<String, Long>> known = DeletionsLog.recorded(ctx, events.signals, hooks.deletions);
        List<Signal> fresh = new ArrayList<>(DeletionsLog.unrecorded(events.deletions, known.get(EVENT)));
        fresh.addAll(DeletionsLog.unrecorded(hooks.entityDeletions(), known.get(WEBHOOK)));
        DeletionsLog.record(ctx, events.signals.stream().filter(Signal::delete).toList(), known.get(EVENT));
        DeletionsLog.record(ctx, hooks.signals.stream().filter(Signal::delete).toList(), known.get(WEBHOOK));
        applyEvents(ctx, events.deletions, loaded, rereads, known.get(WEBHOOK), entry);
        LinkedEntities.ofDeleted(ctx, fresh, loaded, rereads);
        // Restores the run that advanced the watermark past them has settled are not looked at again.
        Map<String, Set<Long>> restored = new LinkedHashMap<>();
        events.restoredInto(restored);
        hooks.restoredInto(restored);
        entry.requests += LinkedEntities.ofRestored(ctx, restored, loaded, rereads);
        rereads.read(ctx, loaded, entry);
        for (String t : loaded) {
            if (EntityFacts.finalDeletions(t)) {
                // An accepted or declined item never returns to the unsorted list: nothing to read back.
                entry.rowsDeleted += DeletionApply.applyConfirmed(ctx, t, hooks.finalDeletions(t));
            }
        }
        SyncState.Entry next = window.advance(ctx.state.get(Tables.DELETIONS));
        ctx.state.stage(next);
        hooks.archive(loaded, entry);
        entry.watermarkLagSeconds =
                ctx.serverNow.getEpochSecond() - next.watermark().getEpochSecond();
        entry.seconds = (System.nanoTime() - started) / 1e9;
        ctx.tally(entry);
        return entry;
    }

    /**
     * Applies the deletions the events decided to the loaded tables. What is read back by id is
     * decided there (that also sees a task restored, which no event reports); the rest by the
     * event's time.
     *
     * @param webhookKnown what {@code _deletions} holds from webhooks ("entity/key" to deleted_at)
     */
    private static void applyEvents(
            RunContext ctx,
            List<Signal> deletions,
            Set<String> loaded,
            Rereads rereads,
            Map<String, Long> webhookKnown,
            Journal.Entry entry) {
        for (Map.Entry<String, List<Signal>> e : Signal.byEntity(deletions).entrySet()) {
            if (loaded.contains(e.getKey())) {
                Set<Long> later = rereads.confirming(e.getKey());
                entry.rowsDeleted += DeletionApply.apply(
                        ctx,
                        e.getKey(),
                        e.getValue().stream()
                                .filter(x -> !later.contains(x.id()))
                                .toList());
                // Rows a webhook flagged in an earlier run take the event's time now.
                DeletionApply.retime(
                        ctx,
                        e.getKey(),
                        e.getValue().stream()
                                .filter(x -> webhookKnown.containsKey(x.entity() + "/" + x.key()))
                                .toList());
            }
        }
    }

    /** The (key, deleted_at) pairs handed to {@link DeletionApply}: the key typed and named as the table's. */
    static Dataset<Row> keyFrame(RunContext ctx, LakeTable table, List<Signal> signals) {
        String key = table.key().get(table.key().size() - 1);
        boolean numeric = table.schema().apply(key).dataType().equals(DataTypes.LongType);
        StructType schema = new StructType()
                .add(key, numeric ? DataTypes.LongType : DataTypes.StringType)
                .add(Columns.DELETED_AT, DataTypes.TimestampType);
        List<Row> rows = new ArrayList<>();
        for (Signal s : signals) {
            rows.add(RowFactory.create(
                    numeric ? (Object) s.id() : s.key(), Timestamp.from(Instant.ofEpochSecond(s.at()))));
        }
        return ctx.spark.createDataFrame(rows, schema).dropDuplicates(key);
    }
}
