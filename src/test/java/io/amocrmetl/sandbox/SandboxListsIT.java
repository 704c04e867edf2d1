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
                list("/api/v4/companies", "companies", 25, t -> ids(t.companies().live(), c -> c.id())),
                list("/api/v4/tasks", "tasks", 100, t -> ids(t.tasks().live(), x -> x.id())),
                list("/api/v4/leads/notes", "notes", 250, t -> ids(t.notes().get("leads").live(), n -> n.id())),
                list("/api/v4/contacts/notes", "notes", 40, t -> ids(t.notes().get("contacts").live(), n -> n.id())),
                list("/api/v4/companies/notes", "notes", 250, t -> ids(t.notes().get("companies").live(), n -> n.id())),
                list("/api/v4/users", "users", 2, t -> ids(t.users(), u -> u.id())),
                list("/api/v4/leads/custom_fields", "custom_fields", 50, t -> ids(t.customFields().get("leads"), f -> f.id())),
                list("/api/v4/contacts/custom_fields", "custom_fields", 50, t -> ids(t.customFields().get("contacts"), f -> f.id())),
                list("/api/v4/companies/custom_fields", "custom_fields", 50, t -> ids(t.customFields().get("companies"), f -> f.id())),
                list("/api/v4/leads/tags", "tags", 5, t -> ids(t.tags().get("leads"), x -> x.id())),
                list("/api/v4/contacts/tags", "tags", 250, t -> ids(t.tags().get("contacts"), x -> x.id())),
                list("/api/v4/companies/tags", "tags", 250, t -> ids(t.tags().get("companies"), x -> x.id())),
                list("/api/v4/leads/loss_reasons", "loss_reasons", 250, t -> ids(t.lossReasons(), r -> r.id())),
                list("/api/v4/leads/pipelines", "pipelines", 250, t -> ids(t.pipelines(), p -> p.id())));
    }

    private static Arguments list(String path, String embedded, int limit, Function<GroundTruth, List<Long>> expected) {
        return Arguments.of(path, embedded, limit, expected);
    }

    private static <T> List<Long> ids(List<T> items, Function<T, Long> id) {
        return items.stream().map(id).sorted().toList();
    }

    @ParameterizedTest(name = "{0} limit {2}")
    @MethodSource("lists")
    void walkReturnsExactlyTheGroundTruthIds(String path, String embedded, int limit,
                                             Function<GroundTruth, List<Long>> expected) {
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
    void statusesOfEveryPipelineIncludeWonAndLost() {
        for (Pipeline p : truth.pipelines()) {
            ApiWalker.Walk walk = api.walk("/api/v4/leads/pipelines/" + p.id() + "/statuses", "statuses");
            List<Long> expected = new ArrayList<>(p.statuses().stream().map(s -> s.id()).toList());
            assertEquals(expected, walk.ids());
            assertTrue(walk.ids().contains(142L) && walk.ids().contains(143L));
            walk.items().forEach(s -> assertEquals(p.id(), s.get("pipeline_id").asLong()));
        }
    }
}
