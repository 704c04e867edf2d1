package io.amocrmetl.ingest;

import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.config.TableSettings;
import io.amocrmetl.ingest.DeletesLoad.Signal;
import io.amocrmetl.state.Journal;
import io.amocrmetl.webhooks.LandingInbox;
import io.amocrmetl.webhooks.WebhookSignal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook deliveries {@code webhooks serve} landed, as the deletions step applies them. A
 * webhook carries no time (docs/amocrm-api.md §6.2), so the last delivery per entity decides, in
 * landing order; its deletions are read back by id: what the API still lists is live (a later list
 * appearance wins), the rest is flagged, at the event's time when this run read one. Accepted or
 * declined unsorted items (no event exists for them, docs/amocrm-api.md §4.3) are flagged with their
 * outcome recorded in {@code _deletions.detail}. Landing files are archived after the step's commits.
 * Only this account's folder of the landing is read (docs/webhooks.md: landing).
 */
final class LandedWebhooks {
    /** Logged as the deletions step it is part of. */
    private static final Logger LOG = LoggerFactory.getLogger(DeletesLoad.class);
    /** The landing folder's deliveries, or null when there are none (or they could not be read). */
    private final LandingInbox inbox;
    /** This account's signals, in landing order. */
    final List<Signal> signals;
    /** The last signal per entity ("entity/key"). */
    private final Map<String, Signal> last;
    /** The deletions the last signals decide (unsorted items' outcomes too). */
    final List<Signal> deletions;
    /** The config's tables, to tell a disabled table from one this run does not load. */
    private final Map<String, TableSettings> tables;

    private LandedWebhooks(
            LandingInbox inbox,
            List<Signal> signals,
            Map<String, Signal> last,
            List<Signal> deletions,
            Map<String, TableSettings> tables) {
        this.inbox = inbox;
        this.signals = signals;
        this.last = last;
        this.deletions = deletions;
        this.tables = tables;
    }

    /**
     * What the signals no table of this run applied mean for the landing files.
     *
     * @param waiting the tables enabled in the config but not loaded this run (a {@code --tables}
     *                subset): their signals keep the files for the next run
     * @param ignored per table disabled in the config, its signals: such a table is never loaded,
     *                so they keep nothing back (its first load after enabling reads what is live)
     */
    record Unapplied(Set<String> waiting, Map<String, Integer> ignored) {
        static Unapplied of(List<Signal> signals, Set<String> loaded, Map<String, TableSettings> tables) {
            Set<String> waiting = new TreeSet<>();
            Map<String, Integer> ignored = new TreeMap<>();
            for (Signal s : signals) {
                if (loaded.contains(s.entity())) {
                    continue;
                }
                TableSettings t = tables.get(s.entity());
                if (t != null && t.enabled()) {
                    waiting.add(s.entity());
                } else {
                    ignored.merge(s.entity(), 1, Integer::sum);
                }
            }
            return new Unapplied(waiting, ignored);
        }
    }

    /**
     * @param entry the step's journal row (its details say when the landing could not be read)
     * @param eventTimes per "entity/key", the time of a deletion this run's events decided
     * @param rereads takes the deletions to confirm and the restored entities to read again
     */
    static LandedWebhooks read(RunContext ctx, Journal.Entry entry, Map<String, Long> eventTimes, Rereads rereads) {
        LandingInbox inbox = landed(ctx, entry);
        List<Signal> hooks = inbox == null ? List.of() : signals(inbox);
        Map<String, Signal> last = new LinkedHashMap<>();
        hooks.forEach(s -> last.put(s.entity() + "/" + s.key(), s));
        List<Signal> deletions = new ArrayList<>();
        for (Signal s : last.values()) {
            if (EntityFacts.finalDeletions(s.entity())) {
                if (s.delete()) {
                    deletions.add(s);
                }
            } else if (s.delete()) {
                rereads.confirm(new Signal(
                        s.entity(),
                        s.key(),
                        eventTimes.getOrDefault(s.entity() + "/" + s.key(), s.at()),
                        DeletesLoad.WEBHOOK,
                        s.detail(),
                        true));
                deletions.add(s);
            } else {
                rereads.signalledNow(s.entity(), s.id());
            }
        }
        return new LandedWebhooks(inbox, hooks, last, deletions, ctx.config.tables());
    }

    /** The deletions of entities that may come back, to be read back (not of unsorted items). */
    List<Signal> entityDeletions() {
        return deletions.stream()
                .filter(x -> !EntityFacts.finalDeletions(x.entity()))
                .toList();
    }

    /** The final deletions of a table's items (unsorted items accepted or declined). */
    List<Signal> finalDeletions(String table) {
        return deletions.stream().filter(x -> x.entity().equals(table)).toList();
    }

    /** Adds, per entity, the ids whose last signal is a restore. */
    void restoredInto(Map<String, Set<Long>> restored) {
        last.values().stream()
                .filter(x -> !x.delete())
                .forEach(x -> restored.computeIfAbsent(x.entity(), k -> new LinkedHashSet<>())
                        .add(x.id()));
    }

    /**
     * Journals what landed and archives the landing files, after the step's commits; an enabled
     * table not loaded this run keeps its files for the next run (applying twice is harmless), a
     * disabled one does not (docs/webhooks.md: applying).
     */
    void archive(Set<String> loaded, Journal.Entry entry) {
        if (inbox == null) {
            return;
        }
        Unapplied unapplied = Unapplied.of(signals, loaded, tables);
        String ignored =
                unapplied.ignored().isEmpty() ? "" : "; ignored, their tables disabled: " + unapplied.ignored();
        LOG.info("webhooks: {}; {} signals for this account{}", inbox.summary(), signals.size(), ignored);
        entry.rowsRead += signals.size();
        boolean allApplied = unapplied.waiting().isEmpty();
        int archived = allApplied ? archive(inbox) : 0;
        entry.details = "webhooks: " + inbox.summary() + "; " + signals.size() + " signals" + ignored + "; "
                + archived + " file(s) archived"
                + (allApplied ? "" : " (kept for " + String.join(", ", unapplied.waiting()) + ", not loaded this run)");
    }

    /**
     * The landing folder's deliveries, or null when there are none. A landing that cannot be read
     * does not stop the run (events still bring deletions); its files stay for the next one.
     */
    private static LandingInbox landed(RunContext ctx, Journal.Entry entry) {
        try {
            LandingInbox inbox = LandingInbox.read(
                    ctx.config.webhooks(), ctx.spark.sparkContext().hadoopConfiguration(), ctx.accountId);
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

    /**
     * This account's webhook signals, in landing order; each delivery's time is when it was
     * received. The inbox holds only this account's deliveries: another account's, in a root file
     * of an earlier version, stay for that account's ingest.
     */
    static List<Signal> signals(LandingInbox inbox) {
        List<Signal> out = new ArrayList<>();
        for (LandingInbox.Landed d : inbox.deliveries()) {
            for (WebhookSignal w : d.signals()) {
                String detail = w.outcome() != null ? w.outcome() : "delivery " + d.id();
                out.add(new Signal(
                        w.entity(), w.key(), d.receivedAtMillis() / 1000, DeletesLoad.WEBHOOK, detail, w.delete()));
            }
        }
        return out;
    }
}
