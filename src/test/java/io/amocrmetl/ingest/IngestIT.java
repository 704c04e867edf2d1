package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.ContactLink;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.FieldValue;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.testing.ExpectedLake;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest end to end (docs/lakehouse.md): a first run and three incremental cycles,
 * each with mutations before the run and during its read, every table compared with the
 * expectation built from ground truth.
 */
class IngestIT {
    @TempDir
    Path dir;

    @Test
    void firstRunAndThreeCyclesEqualTheExpectationAndAnIdleRunChangesNothing() {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(101).withLeads(70), dir).enableAll()) {
            h.run();
            h.assertLake(expected(h), Map.of());
            AccountData a = h.sandbox.account();
            for (int cycle = 1; cycle <= 3; cycle++) {
                GroundTruth before = h.sandbox.groundTruth();
                List<Lead> leads = before.leads().live().stream()
                        .sorted((x, y) -> Long.compare(x.id(), y.id()))
                        .toList();
                List<Contact> contacts = before.contacts().live().stream()
                        .sorted((x, y) -> Long.compare(x.id(), y.id()))
                        .toList();
                List<Task> tasks = before.tasks().live().stream()
                        .sorted((x, y) -> Long.compare(x.id(), y.id()))
                        .toList();
                int k = cycle * 11;
                // Updates, new leads, status and tag changes, a custom field, deletes and restores.
                a.renameLead(leads.get(k).id(), "cycle " + cycle + " «rename» \"q\"");
                a.updateLeadPrice(leads.get(k + 1).id(), 1000L * cycle + 7);
                a.addLead("new lead " + cycle, 500L * cycle);
                a.addLead("new lead " + cycle + "b", 0);
                a.changeLeadStatus(leads.get(k + 2).id(), otherStatus(before, leads.get(k + 2)));
                a.addLeadTag(leads.get(k + 3).id(), "тег цикла " + cycle);
                if (!leads.get(k + 4).tags().isEmpty()) {
                    a.removeLeadTag(
                            leads.get(k + 4).id(),
                            leads.get(k + 4).tags().get(0).name());
                }
                a.setLeadCustomField(
                        leads.get(k + 5).id(),
                        new CustomFieldValue(
                                1_000_001L,
                                "Поле text",
                                null,
                                "text",
                                List.of(new FieldValue("значение " + cycle, null, null))),
                        1_000_001L);
                a.delete("leads", leads.get(k + 6).id());
                a.restore("leads", leads.get(k + 6).id());
                a.delete("contacts", contacts.get(k).id());
                a.restore("contacts", contacts.get(k).id());
                a.delete("tasks", tasks.get(k).id());
                a.restore("tasks", tasks.get(k).id());
                a.delete("tasks", tasks.get(k + 1).id());
                a.delete("companies", before.companies().live().get(cycle).id());
                // Links, an unlink, and a contact merge.
                a.link(leads.get(k + 7).id(), contacts.get(k + 1).id(), false);
                Lead linked = leads.stream()
                        .skip(k + 8)
                        .filter(l -> !l.contacts().isEmpty())
                        .findFirst()
                        .orElseThrow();
                a.unlink(linked.id(), linked.contacts().get(0).contactId());
                long[] pair = mergeable(h.sandbox.groundTruth(), cycle);
                a.mergeContacts(pair[0], pair[1]);
                // During the read: when tasks are being read, leads already read and tasks not yet
                // read change in every way listed above. Their new state is past this run's window
                // end: the next run's, so this run's comparison leaves those rows out.
                Set<Long> pendingLeads = new HashSet<>();
                Set<Long> pendingContacts = new HashSet<>();
                Set<Long> pendingTasks = new HashSet<>();
                Lead l1 = leads.get(k + 9);
                Lead l2 = leads.get(k + 12);
                Lead l3 = leads.get(k + 13);
                Lead l4 = leads.get(k + 14);
                Lead l5 = leads.get(k + 15);
                Contact c4 = contacts.stream()
                        .skip(k + 20)
                        .filter(c -> c.id() != pair[0] && c.id() != pair[1])
                        .findFirst()
                        .orElseThrow();
                Task t1 = tasks.get(k + 2);
                pendingLeads.addAll(List.of(l1.id(), l2.id(), l3.id(), l4.id(), l5.id()));
                pendingContacts.add(c4.id());
                pendingTasks.add(t1.id());
                int cycleNo = cycle;
                h.sandbox.faults().clear();
                h.sandbox.faults().mutateAfterPage("/api/v4/tasks", 1, () -> {
                    a.renameLead(l1.id(), "renamed during the read " + l1.id());
                    a.changeLeadStatus(l2.id(), otherStatus(h.sandbox.groundTruth(), l2));
                    a.addLeadTag(l3.id(), "тег цикла " + cycleNo); // a tag the reference refresh already saw
                    a.link(l4.id(), c4.id(), false);
                    a.delete("leads", l5.id());
                    pendingLeads.add(
                            a.addLead("new during the read " + l5.id(), 77).id());
                    a.updateTask(t1.id(), t -> t.withText("changed during the read"));
                });
                h.run();
                h.sandbox.faults().clear();
                h.assertLake(expected(h), pending(pendingLeads, pendingContacts, pendingTasks));
            }
            // A last run with no change settles what changed during the last read.
            h.run();
            h.assertLake(expected(h), Map.of());
            long deleted = h.lake()
                    .read(Tables.DELETIONS, h.sandbox.groundTruth().account().id())
                    .count();
            assertTrue(deleted >= 9, "_deletions records the deletions from events: " + deleted);

            // A run with no change leaves every table's content as it was, with at most
            // one request per incremental endpoint (notes: one per entity type; lists: one per list).
            Map<String, List<String>> before = h.contents();
            h.sandbox.requests().clear();
            h.run();
            assertEquals(before, h.contents(), "an idle run changes no table's content");
            Map<String, Long> perPath = new HashMap<>();
            h.sandbox.requests().snapshot().forEach(r -> perPath.merge(r.path(), 1L, Long::sum));
            for (String path : List.of(
                    "/api/v4/leads",
                    "/api/v4/contacts",
                    "/api/v4/companies",
                    "/api/v4/tasks",
                    "/api/v4/leads/notes",
                    "/api/v4/contacts/notes",
                    "/api/v4/companies/notes",
                    "/api/v4/customers/notes",
                    "/api/v4/events",
                    "/api/v4/leads/unsorted",
                    "/api/v4/customers",
                    "/api/v4/customers/transactions",
                    "/api/v4/catalogs/5001/elements",
                    "/api/v4/catalogs/5002/elements",
                    "/api/v4/catalogs/5003/elements")) {
                assertEquals(1L, perPath.getOrDefault(path, 0L), "one request for " + path + ": " + perPath);
            }
        }
    }

    /** Leaves out rows whose change came during a read: the leads (their child rows, events and status history too). */
    static Map<String, Predicate<Map<String, Object>>> pending(Set<Long> leads, Set<Long> contacts, Set<Long> tasks) {
        Map<String, Predicate<Map<String, Object>>> skip = new HashMap<>();
        skip.put("leads", r -> leads.contains((Long) r.get("id")));
        for (io.amocrmetl.catalog.LakeTable child : Tables.childrenOf("leads")) {
            skip.put(child.name(), r -> leads.contains((Long) r.get(child.parentKey())));
        }
        skip.put(Tables.LEAD_STATUS_HISTORY, r -> leads.contains((Long) r.get("lead_id")));
        skip.put("events", r -> leads.contains((Long) r.get("entity_id")));
        skip.put("contacts", r -> contacts.contains((Long) r.get("id")));
        for (io.amocrmetl.catalog.LakeTable child : Tables.childrenOf("contacts")) {
            skip.put(child.name(), r -> contacts.contains((Long) r.get(child.parentKey())));
        }
        skip.put("tasks", r -> tasks.contains((Long) r.get("id")));
        return skip;
    }

    static ExpectedLake expected(LakeHarness h) {
        return new ExpectedLake(h.sandbox.groundTruth(), LakeHarness.GA, LakeHarness.REQUEST_ID);
    }

    static long otherStatus(GroundTruth t, Lead l) {
        Pipeline p = t.pipelines().stream()
                .filter(x -> x.id() == l.pipelineId())
                .findFirst()
                .orElseThrow();
        for (Status s : p.statuses()) {
            if (s.id() != l.statusId() && s.type() != 1) {
                return s.id();
            }
        }
        throw new IllegalStateException("no other status");
    }

    /** Two live contacts that each have leads: survivor and loser. */
    static long[] mergeable(GroundTruth t, int cycle) {
        Map<Long, Integer> leadsOf = new HashMap<>();
        for (Lead l : t.leads().live()) {
            for (ContactLink c : l.contacts()) {
                leadsOf.merge(c.contactId(), 1, Integer::sum);
            }
        }
        List<Long> withLeads =
                new ArrayList<>(leadsOf.keySet().stream().sorted().toList());
        return new long[] {withLeads.get(40 + cycle * 2), withLeads.get(41 + cycle * 2)};
    }

    /**
     * Drift never fails a run: fields nobody documented load, and {@code _schema_changes} gets one
     * row per table and field with how many items carried it; a run that read no drift adds none.
     */
    @Test
    void driftIsKeptRawAndCountedAndARunWithoutItAddsNoNote() {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(6).withLeads(15), dir)) {
            GroundTruth t = h.sandbox.groundTruth();
            long account = t.account().id();
            h.sandbox
                    .drift()
                    .extraField("leads", "brand_new_field", "{\"x\":[1,2]}")
                    .extraField("contacts", "contact_extra", "7");
            IngestJob.Result first = h.run();
            assertEquals(null, first.partial());
            Map<String, Long> counted = new HashMap<>();
            for (Row r : h.lake()
                    .read(Tables.SCHEMA_CHANGES, account)
                    .where("run_id = '" + first.runId() + "'")
                    .collectAsList()) {
                assertEquals("new_field", r.getString(r.fieldIndex("kind")));
                counted.merge(
                        r.getString(r.fieldIndex("table_name")) + "." + r.getString(r.fieldIndex("field")),
                        r.getLong(r.fieldIndex("count")),
                        Long::sum);
            }
            assertEquals(
                    Map.of(
                            "leads.brand_new_field", (long) t.leads().live().size(),
                            "contacts.contact_extra", (long) t.contacts().live().size()),
                    counted,
                    "one note per item read");
            assertEquals(
                    t.leads().live().size(), h.lake().read("leads", account).count(), "every drifted lead loaded");

            h.sandbox.drift().clear();
            h.sandbox.account().renameLead(t.leads().live().get(0).id(), "renamed without drift");
            IngestJob.Result second = h.run();
            assertEquals(null, second.partial());
            assertEquals(
                    0,
                    h.lake()
                            .read(Tables.SCHEMA_CHANGES, account)
                            .where("run_id = '" + second.runId() + "'")
                            .count(),
                    "no drift, no note");
            assertEquals(
                    "renamed without drift",
                    h.lake()
                            .read("leads", account)
                            .where("id = " + t.leads().live().get(0).id())
                            .first()
                            .getAs("name"));
        }
    }

    @Test
    void harnessSeesEveryTableItLoads() {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(5).withLeads(20), dir).enableAll()) {
            assertEquals(
                    true,
                    h.tables()
                            .containsAll(List.of(
                                    "leads",
                                    "leads_custom_field_values",
                                    "leads_tags",
                                    "lead_contacts",
                                    "lead_catalog_elements",
                                    "contact_companies",
                                    "customer_contacts",
                                    "catalogs")));
        }
    }
}
