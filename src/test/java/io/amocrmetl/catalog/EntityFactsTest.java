package io.amocrmetl.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The catalog's entity facts agree with its table registry, and name what amoCRM names. */
class EntityFactsTest {
    @Test
    void everyEntityTableHasFactsAndALoadPlace() {
        Set<String> entityTables = new TreeSet<>();
        Tables.all().stream().filter(t -> t.role() == LakeTable.Role.ENTITY).forEach(t -> entityTables.add(t.name()));
        assertEquals(entityTables, new TreeSet<>(EntityFacts.loadOrder()));
        assertEquals(
                List.of(
                        "leads",
                        "contacts",
                        "companies",
                        "tasks",
                        "notes",
                        "events",
                        "unsorted",
                        "customers",
                        "customer_transactions",
                        "catalog_elements"),
                EntityFacts.loadOrder());
        for (String r : EntityFacts.REFERENCE_ORDER) {
            assertEquals(LakeTable.Role.REFERENCE, Tables.get(r).role(), r);
        }
    }

    @Test
    void singularNamesOfEventsAndLinksMapToTables() {
        assertEquals(Optional.of("leads"), EntityFacts.bySingular("lead"));
        assertEquals(Optional.of("companies"), EntityFacts.bySingular("company"));
        assertEquals(Optional.of("customers"), EntityFacts.bySingular("customer"));
        assertEquals(Optional.empty(), EntityFacts.bySingular("leads"));
        assertEquals(Set.of("lead", "contact", "company", "task", "customer"), EntityFacts.singulars());
    }

    @Test
    void webhookKeysReconcileAndAgeColumns() {
        assertEquals("tasks", EntityFacts.byWebhookKey("task").get(0).table());
        assertEquals(
                List.of("delete"), EntityFacts.byWebhookKey("unsorted").get(0).webhookActions());
        assertTrue(EntityFacts.byWebhookKey("companies").isEmpty(), "companies arrive in the contacts block");
        assertEquals(
                List.of("contacts", "companies"),
                EntityFacts.byWebhookKey("contacts").stream()
                        .map(EntityFacts::table)
                        .toList());
        assertTrue(EntityFacts.finalDeletions("unsorted"));
        assertFalse(EntityFacts.finalDeletions("leads"));
        assertTrue(EntityFacts.sharedFeed(EntityFacts.sharedFeedTable()));
        assertEquals("events", EntityFacts.sharedFeedTable());
        assertTrue(EntityFacts.fieldDefinitions("custom_fields"));
        assertTrue(EntityFacts.needListIds(List.of("leads", "catalog_elements")));
        assertFalse(EntityFacts.needListIds(List.of("leads", "contacts")));
        assertEquals(List.of("leads", "contacts", "companies", "tasks"), EntityFacts.reconciledTables());
        for (String t : EntityFacts.loadOrder()) {
            String age = EntityFacts.ageColumnOf(t);
            assertTrue(Tables.get(t).schema().getFieldIndex(age).isDefined(), t + " has no " + age);
        }
        assertEquals("created_at", EntityFacts.ageColumnOf("events"));
        assertEquals("updated_at", EntityFacts.ageColumnOf("leads"));
    }
}
