package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Unsorted;
import io.amocrmetl.webhooks.Receiver;
import io.amocrmetl.webhooks.WebhookServer;
import io.amocrmetl.webhooks.WebhookSubscription;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deletions end to end (docs/webhooks.md), on one lake (each ingest here costs seconds): the
 * sandbox's webhooks reach a running receiver and the next ingest applies them once, the
 * same deletions arrive through events too, a contact merge, then hard-delete mode.
 */
class WebhookDeletionsIT {
    static final String SECRET = "/amocrm/hooks/0f9e8d7c6b5a49382716a5b4c3d2e1f0";

    @TempDir
    Path dir;

    /** Keys the lake flags deleted, per entity table. */
    static Map<String, Set<String>> flagged(LakeHarness h) {
        Map<String, Set<String>> out = new HashMap<>();
        long account = h.sandbox.groundTruth().account().id();
        for (String t : List.of("leads", "contacts", "companies", "tasks", "unsorted")) {
            String key = t.equals("unsorted") ? "uid" : "id";
            Set<String> keys = new TreeSet<>();
            h.lake()
                    .read(t, account)
                    .where("is_deleted")
                    .select(key)
                    .collectAsList()
                    .forEach(r -> keys.add(String.valueOf(r.get(0))));
            out.put(t, keys);
        }
        return out;
    }

    /** Keys ground truth says are deleted, per entity table. */
    static Map<String, Set<String>> deleted(GroundTruth t) {
        Map<String, Set<String>> out = new HashMap<>();
        out.put(
                "leads",
                ids(t.leads().deleted().stream().map(d -> d.record().id()).toList()));
        out.put(
                "contacts",
                ids(t.contacts().deleted().stream().map(d -> d.record().id()).toList()));
        out.put(
                "companies",
                ids(t.companies().deleted().stream().map(d -> d.record().id()).toList()));
        out.put(
                "tasks",
                ids(t.tasks().deleted().stream().map(d -> d.record().id()).toList()));
        Set<String> uids = new TreeSet<>();
        t.unsorted().deleted().forEach(d -> uids.add(d.record().uid()));
        out.put("unsorted", uids);
        return out;
    }

    static Set<String> ids(List<Long> ids) {
        Set<String> out = new TreeSet<>();
        ids.forEach(i -> out.add(String.valueOf(i)));
        return out;
    }

    /** _deletions rows of a source as "entity/key detail", and their count. */
    static List<String> deletions(LakeHarness h, String source) {
        long account = h.sandbox.groundTruth().account().id();
        return h.lake().read(Tables.DELETIONS, account).where("source = '" + source + "'").collectAsList().stream()
                .map(r -> r.<String>getAs("entity") + "/" + r.<String>getAs("entity_key")
                        + (r.<String>getAs("entity").equals("unsorted") ? " " + r.<String>getAs("detail") : ""))
                .sorted()
                .toList();
    }

    /** Two live contacts that each have leads: survivor and loser. */
    static long[] mergeable(GroundTruth t) {
        Map<Long, Integer> leadsOf = new HashMap<>();
        t.leads().live().forEach(l -> l.contacts().forEach(c -> leadsOf.merge(c.contactId(), 1, Integer::sum)));
        List<Long> withLeads = leadsOf.keySet().stream().sorted().toList();
        return new long[] {withLeads.get(0), withLeads.get(1)};
    }

    /**
     * A task deleted and restored (tasks have no restore event or webhook) stays live after its
     * delivery is archived: the next run's events still hold the deletion in their overlap, and the
     * read-back that found the task listed must keep it from being flagged. The receiver hands
     * every delivery to ingest at once (rotate-after 0 s), so the second run archives it whatever
     * the machine's speed.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aRestoredTaskStaysLiveAfterItsDeliveryIsArchived() throws Exception {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(304).withLeads(10), dir)) {
            // A restore that moves nothing: the task's row is unchanged by the read-back.
            h.sandbox.fidelity().restoreBumpsUpdatedAt = false;
            h.config.put("history.initial-days", "1000");
            h.config.put("ingest.window", "1100d");
            h.config.put("webhooks.landing-path", dir.resolve("landing").toString());
            h.config.put("webhooks.listen", "127.0.0.1:0");
            h.config.put("webhooks.rotate-after", "0s");
            h.config.put("webhooks.destination", "http://127.0.0.1:1" + SECRET);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
            try (Receiver receiver = WebhookServer.start(EtlConfig.load(null, h.config), logStream)) {
                h.config.put("webhooks.destination", "http://127.0.0.1:" + receiver.port() + SECRET);
                assertEquals(0, WebhookSubscription.install(EtlConfig.load(null, h.config), logStream));
                h.run();
                long task = h.sandbox.groundTruth().tasks().live().get(0).id();
                AccountData a = h.sandbox.account();
                a.delete("tasks", task);
                a.restore("tasks", task);
                assertTrue(h.sandbox.webhooks().awaitIdle(20_000));
                h.run();
                Path landing = dir.resolve("landing/account_id="
                        + h.sandbox.groundTruth().account().id());
                assertEquals(0, Files.list(landing.resolve("open")).count(), "every delivery was handed over");
                assertEquals(0, Files.list(landing.resolve("ready")).count(), "and archived by the second run");
                assertTrue(deletions(h, "webhook").contains("tasks/" + task));
                assertFalse(flagged(h).get("tasks").contains(String.valueOf(task)), "live after the read-back");
                h.run();
                assertTrue(deletions(h, "event").contains("tasks/" + task), "the third run's events hold the deletion");
                assertFalse(
                        flagged(h).get("tasks").contains(String.valueOf(task)),
                        "still live once only the deletion event is left");
                assertEquals(deleted(h.sandbox.groundTruth()), flagged(h));
            }
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void webhooksAndEventsAppliedOnceSoftThenHard() throws Exception {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(303).withLeads(30), dir)) {
            // One window for the first run (these tests are not about windows), every generated row in it.
            h.config.put("history.initial-days", "1000");
            h.config.put("ingest.window", "1100d");
            // Restores that move nothing: only a signal by id finds them (a fidelity switch).
            h.sandbox.fidelity().restoreBumpsUpdatedAt = false;
            h.config.put("webhooks.landing-path", dir.resolve("landing").toString());
            h.config.put("webhooks.listen", "127.0.0.1:0");
            // The receiver's file stays open until it stops, however long the runs take: the steps
            // below read it open, then ready. The rotated case is the test above.
            h.config.put("webhooks.rotate-after", "1h");
            h.config.put("webhooks.destination", "http://127.0.0.1:1" + SECRET);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
            Receiver receiver = WebhookServer.start(EtlConfig.load(null, h.config), logStream);
            h.config.put("webhooks.destination", "http://127.0.0.1:" + receiver.port() + SECRET);
            assertEquals(0, WebhookSubscription.install(EtlConfig.load(null, h.config), logStream));
            h.run();

            GroundTruth t0 = h.sandbox.groundTruth();
            AccountData a = h.sandbox.account();
            List<Lead> leads = t0.leads().live().stream()
                    .sorted((x, y) -> Long.compare(x.id(), y.id()))
                    .toList();
            long l1 = leads.get(3).id();
            long l2 = leads.get(4).id();
            long l3 = leads.get(5).id();
            long c1 = t0.contacts().live().get(7).id();
            long c2 = t0.contacts().live().get(8).id();
            long k1 = t0.companies().live().get(1).id();
            long k2 = t0.companies().live().get(2).id();
            long t1 = t0.tasks().live().get(1).id();
            long t2 = t0.tasks().live().get(2).id();
            long t3 = t0.tasks().live().get(3).id();
            Unsorted u1 = t0.unsorted().live().get(0);
            Unsorted u2 = t0.unsorted().live().get(1);
            a.delete("leads", l1);
            a.delete("leads", l2);
            a.delete("leads", l3);
            a.restore("leads", l3);
            a.delete("contacts", c1);
            a.delete("contacts", c2);
            a.restore("contacts", c2);
            a.delete("companies", k1);
            a.delete("companies", k2);
            a.restore("companies", k2);
            a.delete("tasks", t1);
            a.delete("tasks", t2);
            // Tasks have no restore event and no restore webhook (docs/amocrm-api.md §4.3, §6.1): only the
            // webhook's read-back by id finds this one live again.
            a.delete("tasks", t3);
            a.restore("tasks", t3);
            a.decideUnsorted(u1.uid(), true);
            a.decideUnsorted(u2.uid(), false);
            // A merge: the loser's leads move to the survivor, the loser is deleted.
            long[] pair = mergeable(h.sandbox.groundTruth());
            Set<Long> loserLeads = new HashSet<>();
            h.sandbox
                    .groundTruth()
                    .leads()
                    .live()
                    .forEach(l -> l.contacts().stream()
                            .filter(c -> c.contactId() == pair[1])
                            .forEach(c -> loserLeads.add(l.id())));
            assertFalse(loserLeads.isEmpty());
            a.mergeContacts(pair[0], pair[1]);
            assertTrue(h.sandbox.webhooks().awaitIdle(20_000));
            // amoCRM sends a delivery again when its 2xx was lost: it lands twice, applies once.
            String again = h.sandbox.webhooks().deliveries().get(0).body();
            java.net.http.HttpResponse<Void> resent = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create("http://127.0.0.1:" + receiver.port() + SECRET))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(again))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
            assertEquals(200, resent.statusCode());
            // During the run, after its events were read: a deletion only the webhook tells this run of.
            long l4 = leads.get(6).id();
            h.sandbox.faults().mutateAfterPage("/api/v4/events", 1, () -> {
                h.sandbox.clock().advance(Duration.ofSeconds(5));
                a.delete("leads", l4);
                try {
                    assertTrue(h.sandbox.webhooks().awaitIdle(20_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            IngestJob.Result r2 = h.run();
            h.sandbox.faults().clear();
            assertTrue(
                    h.sandbox.webhooks().deliveries().stream().allMatch(d -> d.status() == 200),
                    "every delivery got a 200");

            // Exactly the deleted entities are flagged; the restored ones are not.
            GroundTruth truth = h.sandbox.groundTruth();
            assertEquals(deleted(truth), flagged(h));
            assertFalse(flagged(h).get("tasks").contains(String.valueOf(t3)), "the restored task is live");
            List<String> hooks = deletions(h, "webhook");
            assertEquals(
                    new TreeSet<>(List.of(
                            "leads/" + l1,
                            "leads/" + l2,
                            "leads/" + l3,
                            "leads/" + l4,
                            "contacts/" + c1,
                            "contacts/" + c2,
                            "contacts/" + pair[1],
                            "companies/" + k1,
                            "companies/" + k2,
                            "tasks/" + t1,
                            "tasks/" + t2,
                            "tasks/" + t3,
                            "unsorted/" + u1.uid() + " accept",
                            "unsorted/" + u2.uid() + " decline")),
                    new TreeSet<>(hooks),
                    "each webhook deletion recorded, unsorted with its outcome");
            assertEquals(new TreeSet<>(hooks).size(), hooks.size(), "recorded once each, the one delivered twice too");
            long newlyFlagged =
                    deleted(truth).values().stream().mapToLong(Set::size).sum();
            assertEquals(
                    newlyFlagged,
                    r2.entries().stream()
                            .filter(e -> e.table.equals(Tables.DELETIONS))
                            .mapToLong(e -> e.rowsDeleted)
                            .sum(),
                    "each deletion applied once");
            assertFalse(deletions(h, "event").contains("leads/" + l4), "this run's events did not hold " + l4);

            // The merge leaves lead_contacts pointing at the survivor.
            long account = truth.account().id();
            List<Row> links = h.lake().read(Tables.LEAD_CONTACTS, account).collectAsList();
            assertTrue(
                    links.stream().noneMatch(r -> r.<Long>getAs("contact_id") == pair[1]),
                    "no link to the merged-away contact");
            for (long lead : loserLeads) {
                assertTrue(
                        links.stream()
                                .anyMatch(r ->
                                        r.<Long>getAs("lead_id") == lead && r.<Long>getAs("contact_id") == pair[0]),
                        "lead " + lead + " links the survivor");
            }
            assertTrue(flagged(h).get("contacts").contains(String.valueOf(pair[1])), "the loser is flagged deleted");

            // Every table as ground truth says (unsorted's and l4's deletion times are receipt times).
            Map<String, Predicate<Map<String, Object>>> skip = new HashMap<>();
            skip.put("unsorted", r -> Boolean.TRUE.equals(r.get("is_deleted")));
            skip.put("leads", r -> Long.valueOf(l4).equals(r.get("id")));
            // A flagged lead keeps its child rows; the sandbox's ground truth lists list-element links
            // for live leads only.
            Set<Long> deletedLeads = new HashSet<>();
            truth.leads().deleted().forEach(d -> deletedLeads.add(d.record().id()));
            skip.put(Tables.LEAD_CATALOG_ELEMENTS, r -> deletedLeads.contains((Long) r.get("lead_id")));
            h.assertLake(IngestIT.expected(h), skip);

            // Restores, the other half: rows the lake flags are restored (moving nothing, as the
            // switch above says) and the next ingest unflags them, from the restore webhooks and events.
            a.restore("leads", l1);
            a.restore("contacts", c1);
            a.restore("companies", k1);
            assertTrue(h.sandbox.webhooks().awaitIdle(20_000));
            h.run();
            assertEquals(deleted(h.sandbox.groundTruth()), flagged(h));
            assertFalse(flagged(h).get("leads").contains(String.valueOf(l1)), "the restored lead is live again");
            assertFalse(flagged(h).get("contacts").contains(String.valueOf(c1)), "the restored contact is live again");
            assertFalse(flagged(h).get("companies").contains(String.valueOf(k1)), "the restored company is live again");

            // Hard mode from here; what is flagged stays flagged. The receiver stops: its open file
            // moves to ready/ (l4's delivery, already applied from the open file, is applied again,
            // now removing the row); the next ingest archives it after its commits.
            Map<String, Set<String>> flaggedSoft = flagged(h);
            receiver.close();
            Path landing = dir.resolve(
                    "landing/account_id=" + h.sandbox.groundTruth().account().id());
            assertEquals(0, Files.list(landing.resolve("open")).count());
            assertTrue(Files.list(landing.resolve("ready")).count() >= 1);
            h.config.put("deletes.mode", "hard");
            GroundTruth t2truth = h.sandbox.groundTruth();
            // Leads with tags, custom field values and contacts, so there are child rows to remove.
            List<Lead> rich = t2truth.leads().live().stream()
                    .filter(l -> !l.tags().isEmpty()
                            && !l.contacts().isEmpty()
                            && l.customFields() != null
                            && !l.customFields().isEmpty())
                    .sorted((x, y) -> Long.compare(x.id(), y.id()))
                    .toList();
            long gone = rich.get(0).id();
            for (String child : List.of("leads_tags", "leads_custom_field_values", Tables.LEAD_CONTACTS)) {
                String col = child.equals(Tables.LEAD_CONTACTS) ? "lead_id" : "entity_id";
                assertTrue(
                        h.lake().read(child, account).where(col + " = " + gone).count() > 0, child + " of " + gone);
            }
            long contact = t2truth.contacts().live().get(11).id();
            long task = t2truth.tasks().live().get(5).id();
            a.delete("leads", gone);
            a.delete("contacts", contact);
            a.delete("tasks", task);
            // With no receiver, a restore of a flagged lead arrives through events alone.
            a.restore("leads", l2);
            flaggedSoft.get("leads").remove(String.valueOf(l2));
            h.run();
            assertEquals(
                    1,
                    h.lake()
                            .read("leads", account)
                            .where("id = " + l2 + " AND NOT is_deleted")
                            .count(),
                    "the lead restored with no receiver running is live again");
            // Hard deletes (the receiver is gone, these came through events): deleted entities
            // and their child rows are removed, the earlier ones included once their deliveries applied again.
            Map<String, Predicate<Map<String, Object>>> soft = new HashMap<>();
            for (String t : List.of("leads", "contacts", "companies", "tasks", "unsorted")) {
                String key = t.equals("unsorted") ? "uid" : "id";
                soft.put(t, r -> flaggedSoft.get(t).contains(String.valueOf(r.get(key))));
                for (io.amocrmetl.catalog.LakeTable child : Tables.childrenOf(t)) {
                    soft.put(child.name(), r -> flaggedSoft.get(t).contains(String.valueOf(r.get(child.parentKey()))));
                }
            }
            h.assertLake(IngestIT.expected(h).hardDeletes(true), soft);
            assertEquals(
                    0,
                    h.lake().read("leads", account).where("id = " + l4).count(),
                    "l4's delivery applied again in hard mode removes it");
            Lake lake = h.lake();
            assertEquals(0, lake.read("leads", account).where("id = " + gone).count());
            for (String child : List.of(
                    "leads_tags", "leads_custom_field_values", Tables.LEAD_CONTACTS, Tables.LEAD_CATALOG_ELEMENTS)) {
                String col = child.startsWith("lead_") ? "lead_id" : "entity_id";
                assertEquals(
                        0,
                        lake.read(child, account).where(col + " = " + gone).count(),
                        child + " of deleted lead " + gone);
            }
            assertEquals(
                    0, lake.read("contacts", account).where("id = " + contact).count());
            assertEquals(
                    0,
                    lake.read(Tables.CONTACT_COMPANIES, account)
                            .where("contact_id = " + contact)
                            .count());
            assertEquals(0, lake.read("tasks", account).where("id = " + task).count());
            // Flagged before hard mode: removed now that their deliveries are applied again.
            assertEquals(
                    0,
                    lake.read("unsorted", account)
                            .where("uid IN ('" + u1.uid() + "', '" + u2.uid() + "') AND NOT is_deleted")
                            .count());
            assertTrue(deletions(h, "event")
                    .containsAll(List.of("leads/" + gone, "contacts/" + contact, "tasks/" + task)));
            // The lead, contact, company and task deletions webhooks brought came through events too.
            Set<String> fromHooks = new TreeSet<>(deletions(h, "webhook"));
            fromHooks.removeIf(x -> x.startsWith("unsorted/"));
            assertTrue(deletions(h, "event").containsAll(fromHooks), deletions(h, "event") + " vs " + fromHooks);
            assertEquals(hooks, deletions(h, "webhook"), "deliveries applied again are recorded once");
            assertEquals(
                    0, Files.list(landing.resolve("ready")).count(), "archived after the commits that applied them");
            assertTrue(Files.list(landing.resolve("archive")).count() >= 1);
            assertTrue(io.amocrmetl.webhooks.LandingInbox.read(
                            EtlConfig.load(null, h.config).webhooks(), null, account)
                    .isEmpty());

            String text = log.toString(StandardCharsets.UTF_8);
            System.out.print(text);
            assertFalse(text.contains(SECRET.substring(1)), "the secret path never reaches the receiver's log");
            assertTrue(
                    text.lines()
                                    .filter(l -> l.contains(" webhook 200 POST <destination> "))
                                    .count()
                            >= 15,
                    text);
        }
    }
}
