package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Pipeline;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Walking every list endpoint page by page returns exactly the ground-truth ids. */
class SandboxListsIT {
    static Sandbox sandbox;
    static ApiWalker api;
    static GroundTruth truth;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(1234).withLeads(230));
        // These tests walk lists as fast as they can; rate limits have their own tests.
        sandbox.limits().enabled = false;
        api = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
        truth = sandbox.groundTruth();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    static Stream<Arguments> lists() {
        return Stream.of(
                list("/api/v4/leads", "leads", 250, t -> ids(t.leads().live(), l -> l.id())),
                list("/api/v4/leads", "leads", 37, t -> ids(t.leads().live(), l -> l.id())),
                list("/api/v4/contacts", "contacts", 250, t -> ids(t.contacts().live(), c -> c.id())),
                list("/api/v4/contacts", "contacts", 50, t -> ids(t.contacts().live(), c -> c.id())),
                list(
                        "/api/v4/companies",
                        "companies",
                        25,
                        t -> ids(t.companies().live(), c -> c.id())),
                list("/api/v4/tasks", "tasks", 100, t -> ids(t.tasks().live(), x -> x.id())),
                list(
                        "/api/v4/leads/notes",
                        "notes",
                        250,
                        t -> ids(t.notes().get("leads").live(), n -> n.id())),
                list(
                        "/api/v4/contacts/notes",
                        "notes",
                        40,
                        t -> ids(t.notes().get("contacts").live(), n -> n.id())),
                list(
                        "/api/v4/companies/notes",
                        "notes",
                        250,
                        t -> ids(t.notes().get("companies").live(), n -> n.id())),
                list("/api/v4/users", "users", 2, t -> ids(t.users(), u -> u.id())),
                list(
                        "/api/v4/leads/custom_fields",
                        "custom_fields",
                        50,
                        t -> ids(t.customFields().get("leads"), f -> f.id())),
                list(
                        "/api/v4/contacts/custom_fields",
                        "custom_fields",
                        50,
                        t -> ids(t.customFields().get("contacts"), f -> f.id())),
                list(
                        "/api/v4/companies/custom_fields",
                        "custom_fields",
                        50,
                        t -> ids(t.customFields().get("companies"), f -> f.id())),
                list("/api/v4/leads/tags", "tags", 5, t -> ids(t.tags().get("leads"), x -> x.id())),
                list("/api/v4/contacts/tags", "tags", 250, t -> ids(t.tags().get("contacts"), x -> x.id())),
                list("/api/v4/companies/tags", "tags", 250, t -> ids(t.tags().get("companies"), x -> x.id())),
                list("/api/v4/leads/loss_reasons", "loss_reasons", 250, t -> ids(t.lossReasons(), r -> r.id())),
                list("/api/v4/leads/pipelines", "pipelines", 250, t -> ids(t.pipelines(), p -> p.id())),
                list("/api/v4/customers", "customers", 7, t -> ids(t.customers().live(), c -> c.id())),
                list(
                        "/api/v4/customers/transactions",
                        "transactions",
                        30,
                        t -> ids(t.transactions().live(), x -> x.id())),
                list(
                        "/api/v4/customers/notes",
                        "notes",
                        250,
                        t -> ids(t.notes().get("customers").live(), n -> n.id())),
                list("/api/v4/customers/tags", "tags", 250, t -> ids(t.tags().get("customers"), x -> x.id())),
                list(
                        "/api/v4/customers/custom_fields",
                        "custom_fields",
                        50,
                        t -> ids(t.customFields().get("customers"), f -> f.id())),
                list("/api/v4/catalogs", "catalogs", 250, t -> ids(t.catalogs(), c -> c.id())),
                list(
                        "/api/v4/catalogs/5001/elements",
                        "elements",
                        10,
                        t -> ids(t.catalogElements().get(5001L).live(), e -> e.id())),
                list(
                        "/api/v4/catalogs/5002/elements",
                        "elements",
                        250,
                        t -> ids(t.catalogElements().get(5002L).live(), e -> e.id())),
                list(
                        "/api/v4/catalogs/5003/elements",
                        "elements",
                        250,
                        t -> ids(t.catalogElements().get(5003L).live(), e -> e.id())),
                list(
                        "/api/v4/catalogs/5001/custom_fields",
                        "custom_fields",
                        50,
                        t -> ids(t.customFields().get("catalogs/5001"), f -> f.id())));
    }

    private static Arguments list(String path, String embedded, int limit, Function<GroundTruth, List<Long>> expected) {
        return Arguments.of(path, embedded, limit, expected);
    }

    private static <T> List<Long> ids(List<T> items, Function<T, Long> id) {
        return items.stream().map(id).sorted().toList();
    }

    @ParameterizedTest(name = "{0} limit {2}")
    @MethodSource("lists")
    void walkReturnsExactlyTheGroundTruthIds(
            String path, String embedded, int limit, Function<GroundTruth, List<Long>> expected) {
        ApiWalker.Walk walk = api.walk(path + "?limit=" + limit, embedded);
        List<Long> ids = walk.ids();
        assertEquals(ids.size(), new HashSet<>(ids).size(), "a key came twice in " + path);
        assertEquals(expected.apply(truth), ids.stream().sorted().toList());
        if (!path.endsWith("/pipelines")) {
            int expectedPages = (ids.size() + limit - 1) / limit;
            assertEquals(expectedPages, walk.requests(), "one request per page, and none after a full last page");
            for (int p = 0; p < walk.pages().size(); p++) {
                JsonNode page = walk.pages().get(p);
                assertEquals(p + 1, page.get("_page").asInt(), "_page");
                int size = page.path("_embedded").path(embedded).size();
                assertTrue(size <= limit);
                if (p < walk.pages().size() - 1) {
                    assertEquals(limit, size, "only the last page may be short");
                }
                assertTrue(page.at("/_links/self/href").asText().startsWith(sandbox.baseUrl() + path));
            }
        }
    }

    @Test
    void eventsWalkReturnsEveryEventOnceInTimeOrder() {
        ApiWalker.Walk walk = api.walk("/api/v4/events?limit=100", "events");
        List<String> ids = walk.stringIds();
        assertEquals(ids.size(), new HashSet<>(ids).size());
        assertEquals(truth.events().stream().map(e -> e.id()).toList(), ids);
        long previous = Long.MIN_VALUE;
        for (JsonNode e : walk.items()) {
            assertTrue(e.get("created_at").asLong() >= previous, "events out of time order");
            previous = e.get("created_at").asLong();
        }
    }

    @Test
    void unsortedWalksByUidAndFiltersByCategory() {
        ApiWalker.Walk walk = api.walk("/api/v4/leads/unsorted?limit=7", "unsorted");
        List<String> uids =
                walk.items().stream().map(i -> i.get("uid").asText()).toList();
        assertEquals(truth.unsorted().live().stream().map(u -> u.uid()).toList(), uids);
        assertEquals(uids.size(), new HashSet<>(uids).size());
        walk.items()
                .forEach(i -> assertTrue(i.get("metadata").isObject()
                        && i.at("/_embedded/contacts").size() == 1));
        List<String> forms = api.walk("/api/v4/leads/unsorted?filter[category][]=forms", "unsorted").items().stream()
                .map(i -> i.get("uid").asText())
                .toList();
        assertEquals(
                truth.unsorted().live().stream()
                        .filter(u -> u.category().equals("forms"))
                        .map(u -> u.uid())
                        .toList(),
                forms);
        String one = uids.get(3);
        assertEquals(
                List.of(one),
                api.walk("/api/v4/leads/unsorted?filter[uid]=" + one, "unsorted").items().stream()
                        .map(i -> i.get("uid").asText())
                        .toList());
    }

    @Test
    void leadCatalogElementsAndCustomerContactsFollowWith() {
        int linked = 0;
        for (JsonNode lead : api.walk("/api/v4/leads?limit=250&with=catalog_elements", "leads")
                .items()) {
            List<String> got = new ArrayList<>();
            lead.at("/_embedded/catalog_elements")
                    .forEach(e -> got.add(e.get("id").asLong() + "/"
                            + e.at("/metadata/catalog_id").asLong() + "/"
                            + e.at("/metadata/quantity").asDouble()));
            List<String> expected =
                    truth.leadCatalogElements().getOrDefault(lead.get("id").asLong(), List.of()).stream()
                            .map(c -> c.elementId() + "/" + c.catalogId() + "/" + c.quantity())
                            .toList();
            assertEquals(expected, got);
            linked += got.isEmpty() ? 0 : 1;
        }
        assertTrue(linked > 10, "leads with list elements: " + linked);
        var customers = truth.customers().live();
        for (JsonNode c :
                api.walk("/api/v4/customers?with=contacts", "customers").items()) {
            long id = c.get("id").asLong();
            List<Long> contacts = new ArrayList<>();
            c.at("/_embedded/contacts").forEach(x -> contacts.add(x.get("id").asLong()));
            assertEquals(
                    customers.stream()
                            .filter(x -> x.id() == id)
                            .findFirst()
                            .orElseThrow()
                            .contactIds(),
                    contacts);
        }
        long customer = customers.get(2).id();
        assertEquals(
                truth.transactions().live().stream()
                        .filter(t -> t.customerId() == customer)
                        .map(t -> t.id())
                        .toList(),
                api.walk("/api/v4/customers/" + customer + "/transactions", "transactions")
                        .ids());
        assertEquals(404, api.get("/api/v4/catalogs/9999/elements").status(), "an unknown list is 404");
    }

    @Test
    void statusesOfEveryPipelineIncludeWonAndLost() {
        for (Pipeline p : truth.pipelines()) {
            ApiWalker.Walk walk = api.walk("/api/v4/leads/pipelines/" + p.id() + "/statuses", "statuses");
            List<Long> expected =
                    new ArrayList<>(p.statuses().stream().map(s -> s.id()).toList());
            assertEquals(expected, walk.ids());
            assertTrue(walk.ids().contains(142L) && walk.ids().contains(143L));
            walk.items().forEach(s -> assertEquals(p.id(), s.get("pipeline_id").asLong()));
        }
    }
}
