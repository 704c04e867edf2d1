package io.amocrmetl.sandbox.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The account model without HTTP: determinism, consistency of derived data, mutations. */
class AccountDataTest {
    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");

    private static AccountData account(long seed, int leads) {
        return new AccountData(seed, AccountShape.ofLeads(leads), 365, new SandboxClock(START), new Fidelity());
    }

    @Test
    void sameSeedSameAccountOtherSeedOtherAccount() {
        GroundTruth a = account(5, 120).groundTruth();
        GroundTruth b = account(5, 120).groundTruth();
        GroundTruth c = account(6, 120).groundTruth();
        assertEquals(a.leads(), b.leads());
        assertEquals(a.contacts(), b.contacts());
        assertEquals(a.events(), b.events());
        assertNotEquals(
                a.leads().live().stream().map(Lead::name).toList(),
                c.leads().live().stream().map(Lead::name).toList());
    }

    @Test
    void proportionsFollowTheShape() {
        GroundTruth t = account(1, 400).groundTruth();
        assertEquals(400, t.leads().live().size());
        assertEquals(600, t.contacts().live().size());
        assertEquals(120, t.companies().live().size());
        assertEquals(400, t.tasks().live().size());
        assertEquals(
                480 + 240 + 80 + 40,
                t.notes().values().stream().mapToInt(e -> e.live().size()).sum());
        assertEquals(40, t.unsorted().live().size());
        assertEquals(40, t.customers().live().size());
        assertEquals(120, t.transactions().live().size());
        assertEquals(
                80,
                t.catalogElements().values().stream()
                        .mapToInt(e -> e.live().size())
                        .sum());
        int events = t.events().size();
        assertTrue(events > 4 * 400 && events < 7 * 400, "events about 5x leads, got " + events);
    }

    /** A lead's status is where its lead_status_changed history ends, so lead_status_history can be rebuilt. */
    @Test
    void statusHistoryEndsAtTheCurrentStatus() {
        GroundTruth t = account(9, 300).groundTruth();
        Map<Long, List<Event>> byLead = t.events().stream()
                .filter(e -> e.type().equals("lead_status_changed"))
                .collect(Collectors.groupingBy(Event::entityId));
        int checked = 0;
        for (Lead l : t.leads().live()) {
            List<Event> history = byLead.getOrDefault(l.id(), List.of());
            if (history.isEmpty()) {
                continue;
            }
            Event last = history.stream()
                    .max(Comparator.comparingLong(Event::createdAt).thenComparing(Event::id))
                    .get();
            @SuppressWarnings("unchecked")
            Map<String, Object> status =
                    (Map<String, Object>) last.valueAfter().get(0).get("lead_status");
            assertEquals(l.statusId(), status.get("id"), "lead " + l.id());
            assertEquals(l.updatedAt(), last.createdAt(), "the last change is the last update of lead " + l.id());
            checked++;
        }
        assertTrue(checked > 100, "too few leads with history: " + checked);
    }

    @Test
    void linksAreTheSameSeenFromBothSides() {
        AccountData a = account(3, 200);
        GroundTruth t = a.groundTruth();
        Map<Long, List<Long>> expectedContactLeads = new java.util.TreeMap<>();
        for (Lead l : t.leads().live()) {
            l.contacts()
                    .forEach(c -> expectedContactLeads
                            .computeIfAbsent(c.contactId(), k -> new ArrayList<>())
                            .add(l.id()));
        }
        for (var c : t.contacts().live()) {
            assertEquals(
                    expectedContactLeads.getOrDefault(c.id(), List.of()), a.contactLeads(c.id()), "contact " + c.id());
        }
        for (var k : t.companies().live()) {
            List<Long> leads = t.leads().live().stream()
                    .filter(l -> Long.valueOf(k.id()).equals(l.companyId()))
                    .map(Lead::id)
                    .toList();
            List<Long> contacts = t.contacts().live().stream()
                    .filter(c -> Long.valueOf(k.id()).equals(c.companyId()))
                    .map(c -> c.id())
                    .toList();
            assertEquals(leads, a.companyLeads(k.id()), "company leads " + k.id());
            assertEquals(contacts, a.companyContacts(k.id()), "company contacts " + k.id());
        }
    }

    @Test
    void mutationsMoveUpdatedAtWriteEventsAndDeletesLeaveTheLists() {
        AccountData a = account(4, 100);
        GroundTruth before = a.groundTruth();
        Lead first = before.leads().live().get(10);
        a.clock().advance(java.time.Duration.ofMinutes(5));
        long now = a.clock().nowSeconds();
        Lead priced = a.updateLeadPrice(first.id(), 777);
        assertEquals(now, priced.updatedAt());
        Lead added = a.addLead("Новая \"сделка\"", 100);
        assertTrue(added.id()
                > before.leads().live().stream().mapToLong(Lead::id).max().getAsLong());
        long contactId = first.contacts().isEmpty()
                ? before.contacts().live().get(5).id()
                : first.contacts().get(0).contactId();
        a.delete("contacts", contactId);
        a.delete("leads", before.leads().live().get(20).id());

        GroundTruth after = a.groundTruth();
        assertEquals(before.leads().live().size(), after.leads().live().size(), "one added, one deleted");
        assertEquals(1, after.leads().deleted().size());
        assertTrue(after.leads().deleted().get(0).record().isDeleted());
        assertEquals(now, after.leads().deleted().get(0).deletedAt());
        assertFalse(after.contacts().live().stream().anyMatch(c -> c.id() == contactId));
        // No live lead still shows the deleted contact.
        assertTrue(after.leads().live().stream()
                .allMatch(l -> l.contacts().stream().noneMatch(c -> c.contactId() == contactId)));
        List<String> types = after.events().stream()
                .filter(e -> e.createdAt() == now)
                .map(Event::type)
                .sorted()
                .toList();
        assertEquals(List.of("contact_deleted", "lead_added", "lead_deleted", "sale_field_changed"), types);
        Lead updated = after.leads().live().stream()
                .filter(l -> l.id() == first.id())
                .findFirst()
                .orElseThrow();
        assertEquals(777, updated.price());
        assertNull(updated.priceWithMinorUnits(), "a price edit replaces the minor-unit price");
    }
}
