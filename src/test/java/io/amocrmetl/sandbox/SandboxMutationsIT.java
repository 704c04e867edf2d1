package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Lead;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mutations change lists, write their events (docs/amocrm-api.md §4.3) and move updated_at. */
class SandboxMutationsIT {
    Sandbox sandbox;
    ApiWalker api;
    GroundTruth before;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(31).withLeads(120));
        sandbox.limits().enabled = false;
        api = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
        before = sandbox.groundTruth();
        sandbox.clock().advance(Duration.ofMinutes(1));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private List<JsonNode> eventsNow(String type) {
        long now = sandbox.clock().nowSeconds();
        return api.walk("/api/v4/events?filter[type]=" + type + "&filter[created_at][from]=" + (now - 5), "events")
                .items();
    }

    @Test
    void deleteWritesTheEventLeavesTheListsAndShowsInOnlyDeleted() {
        for (String entity : List.of("leads", "contacts", "companies", "tasks")) {
            String path = "/api/v4/" + entity;
            long id = api.walk(path + "?limit=5", entity).ids().get(3);
            sandbox.account().delete(entity, id);
            assertFalse(api.walk(path + "?limit=250", entity).ids().contains(id), entity + " still listed");
            assertEquals(204, api.get(path + "/" + id).status());
            String singular = entity.equals("companies") ? "company" : entity.substring(0, entity.length() - 1);
            List<JsonNode> events = eventsNow(singular + "_deleted");
            assertEquals(1, events.size(), singular + "_deleted");
            assertEquals(id, events.get(0).get("entity_id").asLong());
            assertEquals(singular, events.get(0).get("entity_type").asText());
        }
        long leadId = sandbox.groundTruth().leads().deleted().get(0).record().id();
        JsonNode deleted = api.get("/api/v4/leads?with=only_deleted").json();
        assertEquals(1, deleted.at("/_embedded/leads").size());
        assertEquals(leadId, deleted.at("/_embedded/leads/0/id").asLong());
        assertTrue(deleted.at("/_embedded/leads/0/is_deleted").asBoolean());
    }

    @Test
    void restoreBringsBackAndWritesRestoredExceptForTasks() {
        Lead lead = before.leads().live().get(9);
        sandbox.account().delete("leads", lead.id());
        sandbox.account().restore("leads", lead.id());
        assertTrue(api.walk("/api/v4/leads?limit=250", "leads").ids().contains(lead.id()));
        assertEquals(1, eventsNow("lead_restored").size());
        assertEquals(204, api.get("/api/v4/leads?with=only_deleted").status());

        long task = before.tasks().live().get(2).id();
        sandbox.account().delete("tasks", task);
        sandbox.account().restore("tasks", task);
        assertTrue(api.walk("/api/v4/tasks?limit=250", "tasks").ids().contains(task));
        assertEquals(204, api.get("/api/v4/events?filter[type]=task_restored").status(), "tasks have no restore event");
    }

    /** A contact merge re-links the loser's leads to the survivor and deletes the loser. */
    @Test
    void contactMergeRelinksLeadsAndDeletesTheLoser() {
        Contact loser = null;
        List<Long> loserLeads = List.of();
        for (Contact c : before.contacts().live()) {
            List<Long> leads = sandbox.account().contactLeads(c.id());
            if (leads.size() >= 2) {
                loser = c;
                loserLeads = leads;
                break;
            }
        }
        assertTrue(loser != null, "the seed has a contact with two leads");
        long loserId = loser.id();
        Contact survivor = before.contacts().live().stream()
                .filter(c -> c.id() != loserId
                        && sandbox.account().contactLeads(c.id()).isEmpty())
                .findFirst()
                .orElseGet(() ->
                        before.contacts().live().get(before.contacts().live().size() / 2));
        List<Long> survivorLeadsBefore = sandbox.account().contactLeads(survivor.id());

        sandbox.account().mergeContacts(survivor.id(), loserId);

        assertFalse(api.walk("/api/v4/contacts?limit=250", "contacts").ids().contains(loserId));
        assertEquals(1, eventsNow("contact_deleted").size());
        for (JsonNode lead :
                api.walk("/api/v4/leads?limit=250&with=contacts", "leads").items()) {
            List<Long> contacts = new ArrayList<>();
            lead.at("/_embedded/contacts").forEach(c -> contacts.add(c.get("id").asLong()));
            assertFalse(contacts.contains(loserId), "lead " + lead.get("id") + " still links the loser");
            if (loserLeads.contains(lead.get("id").asLong())) {
                assertTrue(contacts.contains(survivor.id()), "lead " + lead.get("id") + " was not re-linked");
                assertEquals(contacts.size(), contacts.stream().distinct().count());
            }
        }
        List<Long> expected = new ArrayList<>(survivorLeadsBefore);
        loserLeads.stream().filter(id -> !expected.contains(id)).forEach(expected::add);
        expected.sort(null);
        List<Long> got = new ArrayList<>();
        api.get("/api/v4/contacts/" + survivor.id() + "?with=leads")
                .json()
                .at("/_embedded/leads")
                .forEach(l -> got.add(l.get("id").asLong()));
        assertEquals(expected, got);
    }

    @Test
    void linkUnlinkAndTagsWriteTheirEvents() {
        Lead lead = before.leads().live().get(40);
        long contact = before.contacts().live().get(77).id();
        sandbox.account().link(lead.id(), contact, false);
        List<Long> linked = new ArrayList<>();
        api.get("/api/v4/leads/" + lead.id() + "?with=contacts")
                .json()
                .at("/_embedded/contacts")
                .forEach(c -> linked.add(c.get("id").asLong()));
        assertTrue(linked.contains(contact));
        assertEquals(1, eventsNow("entity_linked").size());
        sandbox.account().unlink(lead.id(), contact);
        assertEquals(1, eventsNow("entity_unlinked").size());

        sandbox.account().addLeadTag(lead.id(), "новый тег");
        JsonNode tags = api.get("/api/v4/leads/" + lead.id()).json().at("/_embedded/tags");
        assertTrue(tags.toString().contains("новый тег"));
        assertEquals(1, eventsNow("entity_tag_added").size());
        sandbox.account().removeLeadTag(lead.id(), "новый тег");
        assertEquals(1, eventsNow("entity_tag_deleted").size());
        assertFalse(api.get("/api/v4/leads/" + lead.id())
                .json()
                .at("/_embedded/tags")
                .toString()
                .contains("новый тег"));
    }

    @Test
    void statusChangeAndFieldEditsMoveUpdatedAt() {
        Lead lead = before.leads().live().stream()
                .filter(l -> l.statusId() != 142 && l.statusId() != 143)
                .findFirst()
                .orElseThrow();
        sandbox.account().changeLeadStatus(lead.id(), 142);
        JsonNode now = api.get("/api/v4/leads/" + lead.id()).json();
        assertEquals(142, now.get("status_id").asLong());
        assertEquals(sandbox.clock().nowSeconds(), now.get("updated_at").asLong(), 1);
        assertEquals(now.get("updated_at").asLong(), now.get("closed_at").asLong());
        JsonNode event = eventsNow("lead_status_changed").get(0);
        assertEquals(142, event.at("/value_after/0/lead_status/id").asLong());
        assertEquals(lead.statusId(), event.at("/value_before/0/lead_status/id").asLong());

        sandbox.account().renameLead(lead.id(), "Переименована");
        assertEquals(1, eventsNow("name_field_changed").size());
        assertEquals(
                "Переименована",
                api.get("/api/v4/leads/" + lead.id()).json().get("name").asText());
    }
}
