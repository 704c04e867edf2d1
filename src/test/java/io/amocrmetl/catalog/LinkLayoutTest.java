package io.amocrmetl.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog's layouts agree with the tables they describe. */
class LinkLayoutTest {

    /** Each link table's columns are account_id, its parent key, the layout's columns in order, then the metadata. */
    @Test
    void everyLinkTableHasALayoutMatchingItsSchema() {
        List<String> links = Tables.all().stream()
                .filter(t -> t.role() == LakeTable.Role.CHILD)
                .filter(t -> !t.name().equals(Tables.customFieldValues(t.entity()))
                        && !t.name().equals(Tables.tags(t.entity())))
                .map(LakeTable::name)
                .sorted()
                .toList();
        assertEquals(links, LinkLayout.tables().stream().sorted().toList());
        for (String name : links) {
            LakeTable t = Tables.get(name);
            LinkLayout layout = LinkLayout.of(name).orElseThrow();
            List<String> expected = new ArrayList<>(List.of(Columns.ACCOUNT_ID, t.parentKey()));
            expected.addAll(layout.fields().values());
            expected.addAll(List.of(Columns.SYNCED_AT, Columns.RUN_ID));
            assertEquals(expected, List.of(t.schema().fieldNames()), name);
            assertTrue(
                    Entities.get(t.entity())
                            .schema()
                            .getFieldIndex(layout.array())
                            .isDefined(),
                    name + " comes from " + t.entity() + "." + layout.array());
            assertTrue(
                    Tables.get(layout.linked()).key().contains("id"),
                    name + " links rows of an entity table: " + layout.linked());
        }
        assertEquals(List.of("customer_contacts", "lead_contacts"), LinkLayout.linking(Tables.CONTACTS));
        assertEquals(List.of("contact_companies"), LinkLayout.linking(Tables.COMPANIES));
        assertEquals("contact_id", LinkLayout.of("lead_contacts").orElseThrow().linkedKey());
    }

    /** Derived columns sit in their entity table with their type, and come from a column of its read. */
    @Test
    void derivedColumnsAreInTheirTablesAndReads() {
        for (String entity : EntityFacts.loadOrder()) {
            for (DerivedColumn d : DerivedColumn.of(entity)) {
                LakeTable t = Tables.get(entity);
                assertEquals(d.type(), t.schema().apply(d.name()).dataType(), entity + "." + d.name());
                assertTrue(
                        Entities.get(entity).schema().getFieldIndex(d.source()).isDefined(),
                        entity + "." + d.name() + " comes from " + d.source());
            }
        }
        assertEquals(
                List.of("main_contact_id", "company_id", "ga_client_id", "request_id"),
                DerivedColumn.of(Tables.LEADS).stream().map(DerivedColumn::name).toList());
        assertTrue(DerivedColumn.usesConfiguredFields(Tables.LEADS));
        assertTrue(!DerivedColumn.usesConfiguredFields(Tables.CONTACTS));
    }
}
