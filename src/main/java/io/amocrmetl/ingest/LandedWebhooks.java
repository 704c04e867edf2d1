package io.amocrmetl.ingest;

import io.amocrmetl.catalog.EntityFacts;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook deliveries {@code webhooks serve} landed, as the deletions step applies them. A
 * webhook carries no time (docs/amocrm-api.md §6.2), so the last delivery per entity decides, in
 * landing order; its deletions are read back by id: what the API still lists is live (a later list
 * appearance wins), the rest is flagged, at the event's time when this run read one. Accepted or
 * declined unsorted items (no event exists for them, docs/amocrm-api.md §4.3) are flagged with their
 * outcome recorded in {@code _deletions.detail}. Landing files are archived after the step's commits.
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

    private LandedWebhooks(LandingInbox inbox, List<Signal> signals, Map<String, Signal> last, List<Signal> deletions) {
        this.inbox = inbox;
        this.signals = signals;
        this.last = last;
        this.deletions = deletions;
    }

    /**
     * @param entry the step's journal row (its details say when the landing could not be read)
     * @param eventTimes per "entity/key", the time of a deletion this run's events decided
     * @param rereads takes the deletions to confirm and the restored entities to read again
     */
    static LandedWebhooks read(RunContext ctx, Journal.Entry entry, Map<String, Long> eventTimes, Rereads rereads) {
        LandingInbox inbox = landed(ctx, entry);
        List<Signal> hooks = inbox == null ? List.of() : signals(ctx, inbox);
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
        return new LandedWebhooks(inbox, hooks, last, deletions);
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
     * Journals what landed and archives the landing files, after the step's commits; a table not
     * loaded this run keeps its files for the next run (applying twice is harmless).
     */
    void archive(Set<String> loaded, Journal.Entry entry) {
        if (inbox == null) {
            return;
        }
        LOG.info("webhooks: {}; {} signals for this account", inbox.summary(), signals.size());
        entry.rowsRead += signals.size();
        boolean allApplied = signals.stream().allMatch(x -> loaded.contains(x.entity()));
        int archived = allApplied ? archive(inbox) : 0;
        entry.details = "webhooks: " + inbox.summary() + "; " + signals.size() + " signals; " + archived
                + " file(s) archived" + (allApplied ? "" : " (kept: some name tables this run does not load)");
    }

    /**
     * The landing folder's deliveries, or null when there are none. A landing that cannot be read
     * does not stop the run (events still bring deletions); its files stay for the next one.
     */
    private static LandingInbox landed(RunContext ctx, Journal.Entry entry) {
        try {
            LandingInbox inbox = LandingInbox.read(
                    ctx.config.webhooks(), ctx.spark.sparkContext().hadoopConfiguration());
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
    static List<Signal> signals(RunContext ctx, LandingInbox inbox) {
        List<Signal> out = new ArrayList<>();
        int foreign = 0;
        for (LandingInbox.Landed d : inbox.deliveries()) {
            if (d.accountId() != ctx.accountId) {
                foreign++;
                continue;
            }
            for (WebhookSignal w : d.signals()) {
                String detail = w.outcome() != null ? w.outcome() : "delivery " + d.id();
                out.add(new Signal(
                        w.entity(), w.key(), d.receivedAtMillis() / 1000, DeletesLoad.WEBHOOK, detail, w.delete()));
            }
        }
        if (foreign > 0) {
            LOG.warn("{} landed webhook deliveries name another account than {}: not applied", foreign, ctx.accountId);
        }
        return out;
    }
}
