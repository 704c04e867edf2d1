package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each list option on each endpoint that takes it (docs/amocrm-api.md §3.4 {@code with=}, §4.1 order,
 * §4.2 filters, docs/amocrm-api.md §4.3 events), over real HTTP: the ids (or per-item values) a walk returns are
 * what this test computes from ground truth. Bounds are the default reading, inclusive at both
 * ends.
 */
class SandboxOptionsIT {
    static Sandbox sandbox;
    static ApiWalker api;
    static GroundTruth truth;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(91).withLeads(240));
        // These tests walk lists as fast as they can; rate limits have their own tests.
        sandbox.limits().enabled = false;
        api = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
        GroundTruth before = sandbox.groundTruth();
        // Deleted companies and contacts for with=only_deleted, and a deleted lead whose events
        // lose their name.
        for (int i : new int[] {3, 17, 40}) {
            sandbox.account()
                    .delete("companies", before.companies().live().get(i).id());
        }
        for (int i : new int[] {6, 90}) {
            sandbox.account().delete("contacts", before.contacts().live().get(i).id());
        }
        sandbox.account().delete("leads", before.leads().live().get(12).id());
        // Changed records move to the end of updated_at order, so it differs from id order.
        sandbox.clock().advance(java.time.Duration.ofHours(1));
        sandbox.account().updateCompany(before.companies().live().get(5).id(), c -> c.withName(c.name() + " ✎"));
        sandbox.account().updateTask(before.tasks().live().get(3).id(), x -> x.withText(x.text() + " ✎"));
        sandbox.account()
                .updateNote("leads", before.notes().get("leads").live().get(4).id(), n -> n);
        truth = sandbox.groundTruth();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    /** One request of one option and what ground truth says it returns. */
    record Case(String url, String embedded, Object expected, Function<ApiWalker.Walk, Object> actual) {}

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("options")
    void optionReturnsWhatGroundTruthSays(String endpoint, String option, Function<GroundTruth, Case> build) {
        Case c = build.apply(truth);
        if (c.expected() instanceof Collection<?> list) {
            assertFalse(list.isEmpty(), "the case must select something");
        } else if (c.expected() instanceof Map<?, ?> map) {
            assertFalse(map.isEmpty(), "the case must cover some items");
        }
        ApiWalker.Walk walk = api.walk(c.url(), c.embedded());
        assertEquals(c.expected(), c.actual().apply(walk), c.url());
    }

    static Stream<Arguments> options() {
        return Stream.of(
                // ---- ranges (docs/amocrm-api.md §4.2) ----
                option(
                        "contacts",
                        "updated_at range",
                        t -> range(
                                "/api/v4/contacts",
                                "contacts",
                                "updated_at",
                                t.contacts().live(),
                                Contact::updatedAt,
                                Contact::id)),
                option(
                        "companies",
                        "updated_at range",
                        t -> range(
                                "/api/v4/companies",
                                "companies",
                                "updated_at",
                                t.companies().live(),
                                Company::updatedAt,
                                Company::id)),
                option(
                        "tasks",
                        "updated_at range",
                        t -> range(
                                "/api/v4/tasks",
                                "tasks",
                                "updated_at",
                                t.tasks().live(),
                                Task::updatedAt,
                                Task::id)),
                option(
                        "leads/notes",
                        "updated_at range",
                        t -> range(
                                "/api/v4/leads/notes",
                                "notes",
                                "updated_at",
                                t.notes().get("leads").live(),
                                Note::updatedAt,
                                Note::id)),
                option(
                        "contacts/notes",
                        "updated_at range",
                        t -> range(
                                "/api/v4/contacts/notes",
                                "notes",
                                "updated_at",
                                t.notes().get("contacts").live(),
                                Note::updatedAt,
                                Note::id)),
                option(
                        "leads",
                        "created_at range",
                        t -> range(
                                "/api/v4/leads",
                                "leads",
                                "created_at",
                                t.leads().live(),
                                Lead::createdAt,
                                Lead::id)),
                // ---- filter[id][] (docs/amocrm-api.md §4.2) ----
                option(
                        "contacts",
                        "filter[id][]",
                        t -> ids("/api/v4/contacts", "contacts", t.contacts().live(), Contact::id)),
                option(
                        "companies",
                        "filter[id][]",
                        t -> ids("/api/v4/companies", "companies", t.companies().live(), Company::id)),
                option(
                        "leads/notes",
                        "filter[id][]",
                        t -> ids(
                                "/api/v4/leads/notes",
                                "notes",
                                t.notes().get("leads").live(),
                                Note::id)),
                // ---- order (docs/amocrm-api.md §4.1) ----
                option(
                        "companies",
                        "order[created_at]=desc",
                        t -> order(
                                "/api/v4/companies",
                                "companies",
                                "created_at",
                                true,
                                t.companies().live(),
                                Company::createdAt,
                                Company::id)),
                option(
                        "companies",
                        "order[updated_at]=asc",
                        t -> order(
                                "/api/v4/companies",
                                "companies",
                                "updated_at",
                                false,
                                t.companies().live(),
                                Company::updatedAt,
                                Company::id)),
                option(
                        "tasks",
                        "order[created_at]=desc",
                        t -> order(
                                "/api/v4/tasks",
                                "tasks",
                                "created_at",
                                true,
                                t.tasks().live(),
                                Task::createdAt,
                                Task::id)),
                option(
                        "tasks",
                        "order[updated_at]=asc",
                        t -> order(
                                "/api/v4/tasks",
                                "tasks",
                                "updated_at",
                                false,
                                t.tasks().live(),
                                Task::updatedAt,
                                Task::id)),
                option(
                        "leads/notes",
                        "order[created_at]=desc",
                        t -> order(
                                "/api/v4/leads/notes",
                                "notes",
                                "created_at",
                                true,
                                t.notes().get("leads").live(),
                                Note::createdAt,
                                Note::id)),
                option(
                        "leads/notes",
                        "order[updated_at]=asc",
                        t -> order(
                                "/api/v4/leads/notes",
                                "notes",
                                "updated_at",
                                false,
                                t.notes().get("leads").live(),
                                Note::updatedAt,
                                Note::id)),
                // ---- filter[statuses] (docs/amocrm-api.md §4.2) ----
                option("leads", "filter[statuses] with two pairs", SandboxOptionsIT::twoStatusPairs),
                // ---- events (docs/amocrm-api.md §4.3) ----
                option("events", "filter[created_at]=T alone (created after T)", t -> {
                    long at = t.events().get(t.events().size() * 3 / 4).createdAt();
                    // One timestamp is the lower bound, read like [from]: inclusive by default.
                    return events("/api/v4/events?filter[created_at]=" + at, t, e -> e.createdAt() >= at);
                }),
                option("events", "filter[id][]", t -> {
                    List<Event> all = t.events();
                    Set<String> wanted = Set.of(
                            all.get(5).id(),
                            all.get(all.size() / 2).id(),
                            all.get(all.size() - 1).id());
                    return events(
                            "/api/v4/events?"
                                    + wanted.stream()
                                            .map(id -> "filter[id][]=" + id)
                                            .collect(Collectors.joining("&")),
                            t,
                            e -> wanted.contains(e.id()));
                }),
                option("events", "filter[created_by][]", t -> {
                    long a = t.users().get(0).id();
                    long b = t.users().get(2).id();
                    return events(
                            "/api/v4/events?filter[created_by][]=" + a + "&filter[created_by][]=" + b,
                            t,
                            e -> e.createdBy() == a || e.createdBy() == b);
                }),
                // ---- with= (docs/amocrm-api.md §3.4) ----
                option(
                        "leads",
                        "with=is_price_modified_by_robot",
                        t -> new Case(
                                "/api/v4/leads?limit=250&with=is_price_modified_by_robot",
                                "leads",
                                byId(t.leads().live(), Lead::id, l -> false),
                                w -> fromItems(
                                        w,
                                        i -> i.get("is_price_modified_by_robot").asBoolean()))),
                option(
                        "leads",
                        "with=source",
                        t -> new Case(
                                "/api/v4/leads?limit=250&with=source",
                                "leads",
                                byId(t.leads().live(), Lead::id, Lead::sourceId),
                                w -> fromItems(
                                        w,
                                        i -> i.at("/_embedded/source").isMissingNode()
                                                ? null
                                                : i.at("/_embedded/source/id").asLong()))),
                option("contacts", "with=customers", t -> {
                    Map<Long, List<Long>> expected = byId(
                            t.contacts().live(),
                            Contact::id,
                            c -> t.customers().live().stream()
                                    .filter(x -> x.contactIds().contains(c.id()))
                                    .map(Customer::id)
                                    .sorted()
                                    .toList());
                    assertTrue(expected.values().stream().anyMatch(v -> !v.isEmpty()), "some contact has a customer");
                    return new Case(
                            "/api/v4/contacts?limit=250&with=customers",
                            "contacts",
                            expected,
                            w -> embeddedIds(w, "customers"));
                }),
                // No entity but a lead is linked to list elements in the sandbox's data (docs/amocrm-api.md §3.4).
                option(
                        "contacts",
                        "with=catalog_elements",
                        t -> new Case(
                                "/api/v4/contacts?limit=250&with=catalog_elements",
                                "contacts",
                                byId(t.contacts().live(), Contact::id, c -> List.of()),
                                w -> embeddedIds(w, "catalog_elements"))),
                // Customers link contacts only, so a company's customers are none (EntityJson).
                option(
                        "companies",
                        "with=customers",
                        t -> new Case(
                                "/api/v4/companies?with=customers",
                                "companies",
                                byId(t.companies().live(), Company::id, c -> List.of()),
                                w -> embeddedIds(w, "customers"))),
                option(
                        "companies",
                        "with=catalog_elements",
                        t -> new Case(
                                "/api/v4/companies?with=catalog_elements",
                                "companies",
                                byId(t.companies().live(), Company::id, c -> List.of()),
                                w -> embeddedIds(w, "catalog_elements"))),
                option(
                        "companies",
                        "with=only_deleted",
                        t -> new Case(
                                "/api/v4/companies?with=only_deleted",
                                "companies",
                                t.companies().deleted().stream()
                                        .collect(Collectors.toMap(
                                                d -> d.record().id(),
                                                d -> d.deletedAt() + " deleted",
                                                (a, b) -> a,
                                                TreeMap::new)),
                                w -> fromItems(
                                        w,
                                        i -> i.get("updated_at").asLong()
                                                + (i.get("is_deleted").asBoolean() ? " deleted" : " live")))),
                // The SDK offers only_deleted on contacts too (docs/amocrm-api.md §7).
                option(
                        "contacts",
                        "with=only_deleted",
                        t -> new Case(
                                "/api/v4/contacts?with=only_deleted",
                                "contacts",
                                t.contacts().deleted().stream()
                                        .collect(Collectors.toMap(
                                                d -> d.record().id(),
                                                d -> d.deletedAt() + " deleted",
                                                (a, b) -> a,
                                                TreeMap::new)),
                                w -> fromItems(
                                        w,
                                        i -> i.get("updated_at").asLong()
                                                + (i.get("is_deleted").asBoolean() ? " deleted" : " live")))),
                option(
                        "customers",
                        "with=companies",
                        t -> new Case(
                                "/api/v4/customers?with=companies",
                                "customers",
                                byId(t.customers().live(), Customer::id, c -> List.of()),
                                w -> embeddedIds(w, "companies"))),
                option(
                        "customers",
                        "with=segments",
                        t -> new Case(
                                "/api/v4/customers?with=segments",
                                "customers",
                                byId(t.customers().live(), Customer::id, c -> List.of()),
                                w -> embeddedIds(w, "segments"))),
                option(
                        "customers",
                        "with=catalog_elements",
                        t -> new Case(
                                "/api/v4/customers?with=catalog_elements",
                                "customers",
                                byId(t.customers().live(), Customer::id, c -> List.of()),
                                w -> embeddedIds(w, "catalog_elements"))),
                option(
                        "events",
                        "with=lead_name",
                        t -> eventNames(
                                t, "lead", t.leads().live().stream().collect(Collectors.toMap(Lead::id, Lead::name)))),
                option(
                        "events",
                        "with=contact_name",
                        t -> eventNames(
                                t,
                                "contact",
                                t.contacts().live().stream().collect(Collectors.toMap(Contact::id, Contact::name)))),
                option(
                        "events",
                        "with=company_name",
                        t -> eventNames(
                                t,
                                "company",
                                t.companies().live().stream().collect(Collectors.toMap(Company::id, Company::name)))));
    }

    /**
     * Without its {@code with=}, an item's {@code _embedded} (or, for
     * is_price_modified_by_robot, the item) lacks the key; with it, some item has it (docs/amocrm-api.md §3.4).
     */
    @ParameterizedTest(name = "{0} without with={1}")
    @MethodSource("embeddedKeys")
    void embeddedLacksAKeyWhenItsWithIsAbsent(String path, String with, String embedded, String pointer) {
        ApiWalker.Walk without = api.walk(path + "?limit=250", embedded);
        assertFalse(without.items().isEmpty());
        for (JsonNode item : without.items()) {
            assertTrue(item.at(pointer).isMissingNode(), pointer + " came without with=" + with + ": " + item);
        }
        ApiWalker.Walk withIt = api.walk(path + "?limit=250&with=" + with, embedded);
        assertTrue(
                withIt.items().stream().anyMatch(i -> !i.at(pointer).isMissingNode()),
                pointer + " never came with " + with);
    }

    static Stream<Arguments> embeddedKeys() {
        return Stream.of(
                Arguments.of("/api/v4/leads", "is_price_modified_by_robot", "leads", "/is_price_modified_by_robot"),
                Arguments.of("/api/v4/leads", "source", "leads", "/_embedded/source"),
                Arguments.of("/api/v4/leads", "contacts", "leads", "/_embedded/contacts"),
                Arguments.of("/api/v4/leads", "loss_reason", "leads", "/_embedded/loss_reason"),
                Arguments.of("/api/v4/leads", "catalog_elements", "leads", "/_embedded/catalog_elements"),
                Arguments.of("/api/v4/contacts", "leads", "contacts", "/_embedded/leads"),
                Arguments.of("/api/v4/contacts", "customers", "contacts", "/_embedded/customers"),
                Arguments.of("/api/v4/contacts", "catalog_elements", "contacts", "/_embedded/catalog_elements"),
                Arguments.of("/api/v4/companies", "leads", "companies", "/_embedded/leads"),
                Arguments.of("/api/v4/companies", "contacts", "companies", "/_embedded/contacts"),
                Arguments.of("/api/v4/companies", "customers", "companies", "/_embedded/customers"),
                Arguments.of("/api/v4/companies", "catalog_elements", "companies", "/_embedded/catalog_elements"),
                Arguments.of("/api/v4/customers", "contacts", "customers", "/_embedded/contacts"),
                Arguments.of("/api/v4/customers", "companies", "customers", "/_embedded/companies"),
                Arguments.of("/api/v4/customers", "segments", "customers", "/_embedded/segments"),
                Arguments.of("/api/v4/customers", "catalog_elements", "customers", "/_embedded/catalog_elements"),
                Arguments.of("/api/v4/events", "lead_name", "events", "/_embedded/entity"),
                Arguments.of("/api/v4/events", "contact_name", "events", "/_embedded/entity"),
                Arguments.of("/api/v4/events", "company_name", "events", "/_embedded/entity"));
    }

    // ---- case builders ------------------------------------------------------------------------

    private static Arguments option(String endpoint, String option, Function<GroundTruth, Case> build) {
        return Arguments.of(endpoint, option, build);
    }

    private static long quantile(List<Long> values, double q) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((int) (q * (sorted.size() - 1)));
    }

    /** filter[{field}][from|to] over the middle of the values; ids come in id order. */
    private static <T> Case range(
            String path, String embedded, String field, List<T> rows, ToLongFunction<T> key, ToLongFunction<T> id) {
        List<Long> values = rows.stream().map(key::applyAsLong).toList();
        long from = quantile(values, 0.3);
        long to = quantile(values, 0.7);
        List<Long> expected = rows.stream()
                .filter(r -> key.applyAsLong(r) >= from && key.applyAsLong(r) <= to)
                .map(id::applyAsLong)
                .sorted()
                .toList();
        assertTrue(expected.size() < rows.size(), "the range must leave rows out");
        return new Case(
                path + "?limit=25&filter[" + field + "][from]=" + from + "&filter[" + field + "][to]=" + to,
                embedded,
                expected,
                ApiWalker.Walk::ids);
    }

    /** filter[id][] with three ids, the last the highest; they come in id order. */
    private static <T> Case ids(String path, String embedded, List<T> rows, ToLongFunction<T> id) {
        List<Long> wanted = List.of(
                id.applyAsLong(rows.get(rows.size() - 1)),
                id.applyAsLong(rows.get(2)),
                id.applyAsLong(rows.get(rows.size() / 2)));
        return new Case(
                path + "?" + wanted.stream().map(x -> "filter[id][]=" + x).collect(Collectors.joining("&")),
                embedded,
                wanted.stream().sorted().toList(),
                ApiWalker.Walk::ids);
    }

    /** order[{field}]=asc|desc: by the key, ties by id, the whole order reversed for desc. */
    private static <T> Case order(
            String path,
            String embedded,
            String field,
            boolean desc,
            List<T> rows,
            ToLongFunction<T> key,
            ToLongFunction<T> id) {
        Comparator<T> cmp = Comparator.comparingLong(key).thenComparingLong(id);
        List<Long> expected = rows.stream()
                .sorted(desc ? cmp.reversed() : cmp)
                .map(id::applyAsLong)
                .toList();
        assertFalse(expected.equals(rows.stream().map(id::applyAsLong).sorted().toList()), "must differ from id order");
        return new Case(
                path + "?limit=40&order[" + field + "]=" + (desc ? "desc" : "asc"),
                embedded,
                expected,
                ApiWalker.Walk::ids);
    }

    private static Case twoStatusPairs(GroundTruth t) {
        List<Lead> live = t.leads().live();
        Lead a = live.get(7);
        Lead b = live.stream()
                .filter(l -> l.statusId() != a.statusId())
                .findFirst()
                .orElseThrow();
        Predicate<Lead> either = l -> (l.pipelineId() == a.pipelineId() && l.statusId() == a.statusId())
                || (l.pipelineId() == b.pipelineId() && l.statusId() == b.statusId());
        List<Long> expected = live.stream().filter(either).map(Lead::id).toList();
        assertTrue(
                expected.size()
                        > live.stream()
                                .filter(l -> l.statusId() == a.statusId())
                                .count(),
                "both pairs count");
        return new Case(
                "/api/v4/leads?limit=25&filter[statuses][0][pipeline_id]=" + a.pipelineId()
                        + "&filter[statuses][0][status_id]=" + a.statusId() + "&filter[statuses][1][pipeline_id]="
                        + b.pipelineId()
                        + "&filter[statuses][1][status_id]=" + b.statusId(),
                "leads",
                expected,
                ApiWalker.Walk::ids);
    }

    /** Events in ground truth's (created_at, id) order that pass {@code keep}. */
    private static Case events(String url, GroundTruth t, Predicate<Event> keep) {
        List<String> expected = t.events().stream().filter(keep).map(Event::id).toList();
        assertTrue(expected.size() < t.events().size(), "the filter must leave events out");
        return new Case(url + "&limit=100", "events", expected, ApiWalker.Walk::stringIds);
    }

    /**
     * with={type}_name: events of that entity type carry the live entity's name in
     * {@code _embedded.entity}; other events, and events of deleted entities, carry none.
     */
    private static Case eventNames(GroundTruth t, String type, Map<Long, String> names) {
        Map<String, String> expected = new TreeMap<>();
        t.events().forEach(e -> expected.put(e.id(), e.entityType().equals(type) ? names.get(e.entityId()) : null));
        assertTrue(expected.values().stream().anyMatch(v -> v != null), "some event names its " + type);
        return new Case("/api/v4/events?limit=100&with=" + type + "_name", "events", expected, w -> {
            Map<String, String> got = new TreeMap<>();
            for (JsonNode i : w.items()) {
                JsonNode entity = i.at("/_embedded/entity");
                if (!entity.isMissingNode()) {
                    assertEquals(i.get("entity_id").asLong(), entity.get("id").asLong(), "the event's own entity");
                }
                got.put(
                        i.get("id").asText(),
                        entity.isMissingNode() ? null : entity.get("name").asText());
            }
            return got;
        });
    }

    private static <T, V> Map<Long, V> byId(List<T> rows, ToLongFunction<T> id, Function<T, V> value) {
        Map<Long, V> out = new TreeMap<>();
        rows.forEach(r -> out.put(id.applyAsLong(r), value.apply(r)));
        return out;
    }

    private static <V> Map<Long, V> fromItems(ApiWalker.Walk w, Function<JsonNode, V> value) {
        Map<Long, V> out = new TreeMap<>();
        w.items().forEach(i -> out.put(i.get("id").asLong(), value.apply(i)));
        return out;
    }

    /** Item id → the ids in its {@code _embedded.{key}} array (null when the key is missing). */
    private static Map<Long, List<Long>> embeddedIds(ApiWalker.Walk w, String key) {
        return fromItems(w, i -> {
            JsonNode arr = i.path("_embedded").path(key);
            if (!arr.isArray()) {
                return null;
            }
            List<Long> ids = new ArrayList<>();
            arr.forEach(x -> ids.add(x.get("id").asLong()));
            return ids;
        });
    }
}
