package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Task;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every filter, {@code order} and {@code with=} option behaves as documented (docs/amocrm-api.md §3.4, §4).
 * Range bounds are inclusive at both ends in this default reading.
 */
class SandboxFiltersIT {
    static Sandbox sandbox;
    static ApiWalker api;
    static GroundTruth truth;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(77).withLeads(240));
        // These tests walk lists as fast as they can; rate limits have their own tests.
        sandbox.limits().enabled = false;
        api = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
        truth = sandbox.groundTruth();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static long quantile(List<Long> values, double q) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((int) (q * (sorted.size() - 1)));
    }

    @Test
    void updatedAtRangeIsInclusiveAndOrderedByUpdatedAt() {
        List<Long> updated = truth.leads().live().stream().map(Lead::updatedAt).toList();
        long from = quantile(updated, 0.3);
        long to = quantile(updated, 0.6);
        ApiWalker.Walk walk = api.walk(
                "/api/v4/leads?limit=25&order[updated_at]=asc&filter[updated_at][from]=" + from
                        + "&filter[updated_at][to]=" + to,
                "leads");
        List<Long> expected = truth.leads().live().stream()
                .filter(l -> l.updatedAt() >= from && l.updatedAt() <= to)
                .sorted(Comparator.comparingLong(Lead::updatedAt).thenComparingLong(Lead::id))
                .map(Lead::id)
                .toList();
        assertEquals(expected, walk.ids());
        assertTrue(walk.items().stream().anyMatch(i -> i.get("updated_at").asLong() == from), "from is inclusive");
        assertTrue(walk.items().stream().anyMatch(i -> i.get("updated_at").asLong() == to), "to is inclusive");
    }

    @Test
    void createdAtRangeOnEveryEntityList() {
        List<Long> created =
                truth.contacts().live().stream().map(Contact::createdAt).toList();
        long from = quantile(created, 0.2);
        long to = quantile(created, 0.5);
        String range = "filter[created_at][from]=" + from + "&filter[created_at][to]=" + to;
        assertEquals(
                truth.contacts().live().stream()
                        .filter(c -> c.createdAt() >= from && c.createdAt() <= to)
                        .map(Contact::id)
                        .sorted()
                        .toList(),
                api.walk("/api/v4/contacts?limit=50&" + range, "contacts").ids());
        assertEquals(
                truth.companies().live().stream()
                        .filter(c -> c.createdAt() >= from && c.createdAt() <= to)
                        .map(c -> c.id())
                        .sorted()
                        .toList(),
                api.walk("/api/v4/companies?" + range, "companies").ids());
        assertEquals(
                truth.tasks().live().stream()
                        .filter(c -> c.createdAt() >= from && c.createdAt() <= to)
                        .map(Task::id)
                        .sorted()
                        .toList(),
                api.walk("/api/v4/tasks?" + range, "tasks").ids());
        assertEquals(
                truth.notes().get("leads").live().stream()
                        .filter(c -> c.createdAt() >= from && c.createdAt() <= to)
                        .map(Note::id)
                        .sorted()
                        .toList(),
                api.walk("/api/v4/leads/notes?" + range, "notes").ids());
    }

    @Test
    void idFilterInEveryForm() {
        List<Lead> live = truth.leads().live();
        List<Long> wanted = List.of(
                live.get(3).id(), live.get(50).id(), live.get(live.size() - 1).id());
        assertTrue(wanted.get(2) > Integer.MAX_VALUE, "includes an id above 2^31");
        String brackets =
                "filter[id][]=" + wanted.get(0) + "&filter[id][]=" + wanted.get(1) + "&filter[id][]=" + wanted.get(2);
        String indexed = "filter[id][0]=" + wanted.get(0) + "&filter[id][1]=" + wanted.get(1) + "&filter[id][2]="
                + wanted.get(2);
        assertEquals(wanted, api.walk("/api/v4/leads?" + brackets, "leads").ids());
        assertEquals(wanted, api.walk("/api/v4/leads?" + indexed, "leads").ids());
        assertEquals(
                List.of(wanted.get(1)),
                api.walk("/api/v4/leads?filter[id]=" + wanted.get(1), "leads").ids());
        assertEquals(400, api.get("/api/v4/leads?filter[id][]=abc").status(), "a non-numeric id is a validation error");
    }

    @Test
    void orderByEachKeyBothWays() {
        List<Long> byIdDesc = truth.leads().live().stream()
                .map(Lead::id)
                .sorted(Comparator.reverseOrder())
                .toList();
        assertEquals(
                byIdDesc,
                api.walk("/api/v4/leads?limit=50&order[id]=desc", "leads").ids());
        List<Long> byCreated = truth.leads().live().stream()
                .sorted(Comparator.comparingLong(Lead::createdAt).thenComparingLong(Lead::id))
                .map(Lead::id)
                .toList();
        assertEquals(
                byCreated,
                api.walk("/api/v4/leads?limit=50&order[created_at]=asc", "leads")
                        .ids());
        List<Long> byUpdatedDesc = truth.contacts().live().stream()
                .sorted(Comparator.comparingLong(Contact::updatedAt)
                        .thenComparingLong(Contact::id)
                        .reversed())
                .map(Contact::id)
                .toList();
        assertEquals(
                byUpdatedDesc,
                api.walk("/api/v4/contacts?limit=100&order[updated_at]=desc", "contacts")
                        .ids());
        assertEquals(400, api.get("/api/v4/leads?order[id]=sideways").status());
    }

    @Test
    void noteTypeFilter() {
        Set<String> types = Set.of("call_in", "common");
        List<Long> expected = truth.notes().get("leads").live().stream()
                .filter(n -> types.contains(n.noteType()))
                .map(Note::id)
                .sorted()
                .toList();
        assertEquals(
                expected,
                api.walk("/api/v4/leads/notes?filter[note_type][]=call_in&filter[note_type][]=common", "notes")
                        .ids());
        assertEquals(
                expected,
                api.walk("/api/v4/leads/notes?filter[note_type]=call_in,common", "notes")
                        .ids());
        Note one = truth.notes().get("contacts").live().get(7);
        List<Long> ofEntity = truth.notes().get("contacts").live().stream()
                .filter(n -> n.entityId() == one.entityId())
                .map(Note::id)
                .sorted()
                .toList();
        assertEquals(
                ofEntity,
                api.walk("/api/v4/contacts/" + one.entityId() + "/notes", "notes")
                        .ids());
    }

    @Test
    void eventFiltersByTypeEntityAndCreatedAtInBothForms() {
        List<String> statusChanges = truth.events().stream()
                .filter(e -> e.type().equals("lead_status_changed"))
                .map(Event::id)
                .toList();
        assertEquals(
                statusChanges,
                api.walk("/api/v4/events?filter[type]=lead_status_changed", "events")
                        .stringIds());

        Set<String> two = Set.of("lead_added", "contact_added");
        List<String> added = truth.events().stream()
                .filter(e -> two.contains(e.type()))
                .map(Event::id)
                .toList();
        assertEquals(
                added,
                api.walk("/api/v4/events?filter[type][]=lead_added&filter[type][]=contact_added", "events")
                        .stringIds());
        assertEquals(
                added,
                api.walk("/api/v4/events?filter[type]=lead_added,contact_added", "events")
                        .stringIds());

        List<String> ofContacts = truth.events().stream()
                .filter(e -> e.entityType().equals("contact"))
                .map(Event::id)
                .toList();
        assertEquals(
                ofContacts,
                api.walk("/api/v4/events?filter[entity][]=contact", "events").stringIds());

        List<Long> times = truth.events().stream().map(Event::createdAt).toList();
        long from = quantile(times, 0.4);
        long to = quantile(times, 0.45);
        List<String> inRange = truth.events().stream()
                .filter(e -> e.createdAt() >= from && e.createdAt() <= to)
                .map(Event::id)
                .toList();
        assertEquals(
                inRange,
                api.walk("/api/v4/events?filter[created_at][from]=" + from + "&filter[created_at][to]=" + to, "events")
                        .stringIds());
        // The older comma form "from,to" that the SDK still sends (docs/amocrm-api.md §4.3).
        assertEquals(
                inRange,
                api.walk("/api/v4/events?filter[created_at]=" + from + "," + to, "events")
                        .stringIds());

        Lead lead = truth.leads().live().get(12);
        List<String> ofLead = truth.events().stream()
                .filter(e -> e.entityId() == lead.id() && e.entityType().equals("lead"))
                .map(Event::id)
                .toList();
        assertFalse(ofLead.isEmpty());
        assertEquals(
                ofLead,
                api.walk("/api/v4/events?filter[entity]=lead&filter[entity_id][]=" + lead.id(), "events")
                        .stringIds());
        assertEquals(
                400,
                api.get("/api/v4/events?filter[entity_id][]=" + lead.id()).status(),
                "entity_id needs one filter[entity]");
        StringBuilder eleven = new StringBuilder("/api/v4/events?filter[entity]=lead");
        for (int i = 0; i < 11; i++) {
            eleven.append("&filter[entity_id][]=").append(i + 1);
        }
        assertEquals(400, api.get(eleven.toString()).status(), "at most 10 entity ids");
    }

    @Test
    void leadFiltersByPipelineStatusAndResponsible() {
        Lead sample = truth.leads().live().get(30);
        assertEquals(
                truth.leads().live().stream()
                        .filter(l -> l.pipelineId() == sample.pipelineId())
                        .map(Lead::id)
                        .toList(),
                api.walk("/api/v4/leads?filter[pipeline_id]=" + sample.pipelineId(), "leads")
                        .ids());
        assertEquals(
                truth.leads().live().stream()
                        .filter(l -> l.pipelineId() == sample.pipelineId() && l.statusId() == sample.statusId())
                        .map(Lead::id)
                        .toList(),
                api.walk(
                                "/api/v4/leads?filter[statuses][0][pipeline_id]=" + sample.pipelineId()
                                        + "&filter[statuses][0][status_id]=" + sample.statusId(),
                                "leads")
                        .ids());
        assertEquals(
                truth.leads().live().stream()
                        .filter(l -> l.responsibleUserId() == sample.responsibleUserId())
                        .map(Lead::id)
                        .toList(),
                api.walk("/api/v4/leads?filter[responsible_user_id]=" + sample.responsibleUserId(), "leads")
                        .ids());
    }

    @Test
    void taskFilters() {
        assertEquals(
                truth.tasks().live().stream()
                        .filter(Task::isCompleted)
                        .map(Task::id)
                        .toList(),
                api.walk("/api/v4/tasks?filter[is_completed]=1", "tasks").ids());
        assertEquals(
                truth.tasks().live().stream()
                        .filter(t -> !t.isCompleted() && t.taskTypeId() == 2)
                        .map(Task::id)
                        .toList(),
                api.walk("/api/v4/tasks?filter[is_completed]=0&filter[task_type][]=2", "tasks")
                        .ids());
    }

    @Test
    void withDecidesWhatEmbeddedCarries() {
        Map<Long, Lead> leads = truth.leads().live().stream().collect(Collectors.toMap(Lead::id, l -> l));
        for (JsonNode item : api.walk("/api/v4/leads?with=contacts,loss_reason,source_id", "leads")
                .items()) {
            Lead l = leads.get(item.get("id").asLong());
            List<String> contacts = new ArrayList<>();
            item.at("/_embedded/contacts")
                    .forEach(c -> contacts.add(
                            c.get("id").asLong() + ":" + c.get("is_main").asBoolean()));
            assertEquals(
                    l.contacts().stream()
                            .map(c -> c.contactId() + ":" + c.isMain())
                            .toList(),
                    contacts);
            JsonNode lossReason = item.at("/_embedded/loss_reason");
            assertTrue(lossReason.isArray());
            assertEquals(l.lossReasonId() == null ? 0 : 1, lossReason.size());
            assertTrue(item.has("source_id"));
            List<Long> companies = new ArrayList<>();
            item.at("/_embedded/companies")
                    .forEach(c -> companies.add(c.get("id").asLong()));
            assertEquals(l.companyId() == null ? List.of() : List.of(l.companyId()), companies);
        }
        for (JsonNode item : api.walk("/api/v4/leads", "leads").items()) {
            assertTrue(item.at("/_embedded/contacts").isMissingNode(), "contacts need with=contacts");
            assertFalse(item.has("source_id"), "source_id needs with=source_id");
            assertTrue(item.at("/_embedded/tags").isArray(), "tags always come");
        }

        Map<Long, List<Long>> leadsOfContact = new TreeMap<>();
        Map<Long, List<Long>> leadsOfCompany = new TreeMap<>();
        for (Lead l : truth.leads().live()) {
            l.contacts()
                    .forEach(c -> leadsOfContact
                            .computeIfAbsent(c.contactId(), k -> new ArrayList<>())
                            .add(l.id()));
            if (l.companyId() != null) {
                leadsOfCompany
                        .computeIfAbsent(l.companyId(), k -> new ArrayList<>())
                        .add(l.id());
            }
        }
        for (JsonNode item : api.walk("/api/v4/contacts?with=leads", "contacts").items()) {
            List<Long> got = new ArrayList<>();
            item.at("/_embedded/leads").forEach(x -> got.add(x.get("id").asLong()));
            assertEquals(leadsOfContact.getOrDefault(item.get("id").asLong(), List.of()), got);
        }
        Map<Long, List<Long>> contactsOfCompany = new TreeMap<>();
        truth.contacts().live().stream()
                .filter(c -> c.companyId() != null)
                .forEach(c -> contactsOfCompany
                        .computeIfAbsent(c.companyId(), k -> new ArrayList<>())
                        .add(c.id()));
        for (JsonNode item :
                api.walk("/api/v4/companies?with=contacts,leads", "companies").items()) {
            List<Long> gotContacts = new ArrayList<>();
            item.at("/_embedded/contacts")
                    .forEach(x -> gotContacts.add(x.get("id").asLong()));
            List<Long> gotLeads = new ArrayList<>();
            item.at("/_embedded/leads").forEach(x -> gotLeads.add(x.get("id").asLong()));
            assertEquals(contactsOfCompany.getOrDefault(item.get("id").asLong(), List.of()), gotContacts);
            assertEquals(leadsOfCompany.getOrDefault(item.get("id").asLong(), List.of()), gotLeads);
        }

        Map<Long, Note> notes = truth.notes().get("leads").live().stream().collect(Collectors.toMap(Note::id, n -> n));
        for (JsonNode item :
                api.walk("/api/v4/leads/notes?with=is_pinned", "notes").items()) {
            assertEquals(
                    notes.get(item.get("id").asLong()).isPinned(),
                    item.get("is_pinned").asBoolean());
        }
        api.walk("/api/v4/leads/notes", "notes").items().forEach(i -> assertFalse(i.has("is_pinned")));

        JsonNode account = api.get("/api/v4/account?with=datetime_settings").json();
        assertEquals(
                "Europe/Moscow",
                account.at("/_embedded/datetime_settings/timezone").asText());
        assertTrue(account.get("is_api_filter_enabled").asBoolean());
        assertTrue(api.get("/api/v4/account")
                .json()
                .at("/_embedded/datetime_settings")
                .isMissingNode());
    }

    @Test
    void tagFilters() {
        var tag = truth.tags().get("leads").get(3);
        assertEquals(
                List.of(tag.id()),
                api.walk(
                                "/api/v4/leads/tags?filter[name]="
                                        + java.net.URLEncoder.encode(
                                                tag.name(), java.nio.charset.StandardCharsets.UTF_8),
                                "tags")
                        .ids());
        assertEquals(
                List.of(tag.id()),
                api.walk("/api/v4/leads/tags?filter[id][]=" + tag.id(), "tags").ids());
    }

    @Test
    void ifModifiedSinceReturnsOnlyLaterChanges() {
        List<Long> updated = truth.leads().live().stream().map(Lead::updatedAt).toList();
        long since = quantile(updated, 0.8);
        String header = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochSecond(since).atOffset(ZoneOffset.UTC));
        List<Long> expected = truth.leads().live().stream()
                .filter(l -> l.updatedAt() > since)
                .map(Lead::id)
                .toList();
        ApiWalker.Response r = api.get(
                "/api/v4/leads?limit=250",
                Map.of("Authorization", "Bearer " + sandbox.settings().token(), "If-Modified-Since", header));
        List<Long> got = new ArrayList<>();
        r.json().at("/_embedded/leads").forEach(i -> got.add(i.get("id").asLong()));
        assertEquals(expected, got);
    }

    /** Accounts without the "new" filtering ignore filter[...] (docs/amocrm-api.md §4.2, §9.9). */
    @Test
    void filtersAreIgnoredWhenTheAccountHasThemOff() {
        try (Sandbox off = Sandbox.start(
                SandboxSettings.defaults().withSeed(77).withLeads(60).withApiFilterEnabled(false))) {
            off.limits().enabled = false;
            ApiWalker offApi = new ApiWalker(off.baseUrl(), off.settings().token());
            assertFalse(offApi.get("/api/v4/account")
                    .json()
                    .get("is_api_filter_enabled")
                    .asBoolean());
            long future = off.clock().nowSeconds() + 86_400;
            List<Long> all =
                    off.groundTruth().leads().live().stream().map(Lead::id).toList();
            assertEquals(
                    all,
                    offApi.walk("/api/v4/leads?filter[updated_at][from]=" + future, "leads")
                            .ids());
            assertEquals(
                    all,
                    offApi.walk("/api/v4/leads?filter[id][]=" + all.get(0), "leads")
                            .ids());
        }
    }
}
