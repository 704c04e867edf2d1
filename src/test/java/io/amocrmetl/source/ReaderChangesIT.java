package io.amocrmetl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.testing.LogCapture;
import io.amocrmetl.testing.SandboxConfig;
import io.amocrmetl.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reader while the account changes: rows that move during a multi-page read, 1,000 updates
 * in one second, and an account whose API filters are off. Each case has a sandbox of its own.
 */
// Alone in the IT JVM: it captures every logger at DEBUG (LogCapture) (docs/testing.md, "CI budget").
@Isolated
class ReaderChangesIT {
    static final int MOVED = 30;

    @TempDir
    Path dir;

    Sandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    Sandbox start(SandboxSettings s) {
        sandbox = Sandbox.start(s);
        return sandbox;
    }

    List<Row> read(String entity, Map<String, String> options) {
        return SparkTestSession.get()
                .read()
                .format("amocrm")
                .option("entity", entity)
                .options(SandboxConfig.fast(sandbox, dir))
                .options(options)
                .load()
                .collectAsList();
    }

    /** The rows' keys; fails if one comes twice. */
    static Set<Long> ids(List<Row> rows) {
        Set<Long> out = new HashSet<>();
        for (Row r : rows) {
            assertTrue(out.add(r.getLong(r.fieldIndex("id"))), "id " + r.getLong(r.fieldIndex("id")) + " came twice");
        }
        return out;
    }

    static Stream<Arguments> mutationCases() {
        List<Arguments> out = new ArrayList<>();
        for (String entity : List.of("leads", "contacts", "tasks", "notes")) {
            for (boolean from : List.of(true, false)) {
                for (boolean to : List.of(true, false)) {
                    for (boolean bounded : List.of(true, false)) {
                        out.add(Arguments.of(entity, from, to, bounded));
                    }
                }
            }
        }
        return out.stream();
    }

    /**
     * After page 1 is served, 30 of its rows change (for keyset entities they move
     * to the end of the order; for paged ones they leave a bounded window, which shifts later pages).
     * No row that existed before the read is lost, and no key comes twice. In a bounded read a row
     * that changed is past the read's end and belongs to the next read; every other row is here.
     */
    @ParameterizedTest(name = "{0} fromInclusive={1} toInclusive={2} bounded={3}")
    @MethodSource("mutationCases")
    void midReadMutationsLoseNothingAndDoubleNothing(
            String entity, boolean fromInclusive, boolean toInclusive, boolean bounded) {
        // One window: the read is several pages of one request sequence.
        mutateDuringRead(entity, fromInclusive, toInclusive, bounded, Map.of("window", "100000d"));
    }

    /**
     * The same, as ingest reads: bounded, in several windows spread over two partitions that run
     * at once, so the rows move while other windows are read too.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"leads", "tasks"})
    void midReadMutationsInAReadOfManyWindowsAndTwoPartitions(String entity) {
        mutateDuringRead(entity, true, true, true, Map.of("window", "40d", "partitions", "2"));
        long windows = sandbox.requests().snapshot().stream()
                .filter(r -> r.path().equals("/api/v4/" + entity))
                .map(r -> r.target().replaceAll("[&?](page|limit)=[^&]*", ""))
                .distinct()
                .count();
        assertTrue(windows >= 4, "a read of several windows: " + windows);
    }

    void mutateDuringRead(
            String entity, boolean fromInclusive, boolean toInclusive, boolean bounded, Map<String, String> layout) {
        start(SandboxSettings.defaults().withSeed(7).withLeads(700));
        sandbox.fidelity().fromInclusive = fromInclusive;
        sandbox.fidelity().toInclusive = toInclusive;
        long end = sandbox.clock().nowSeconds();
        // Changes made during the read are stamped later than the read's end.
        sandbox.clock().advance(Duration.ofSeconds(60));
        GroundTruth truth = sandbox.groundTruth();
        Map<Long, Long> before = new LinkedHashMap<>(); // id -> updated_at, in the order page 1 serves them
        String prefix;
        Runnable change;
        List<Long> firstPage;
        switch (entity) {
            case "leads" -> {
                truth.leads().live().stream()
                        .sorted(Comparator.comparingLong(Lead::updatedAt).thenComparingLong(Lead::id))
                        .forEach(l -> before.put(l.id(), l.updatedAt()));
                firstPage = new ArrayList<>(before.keySet()).subList(0, MOVED);
                prefix = "/api/v4/leads";
                change = () -> firstPage.forEach(id -> sandbox.account().renameLead(id, "moved " + id));
            }
            case "contacts" -> {
                truth.contacts().live().stream()
                        .sorted(Comparator.comparingLong(Contact::updatedAt).thenComparingLong(Contact::id))
                        .forEach(c -> before.put(c.id(), c.updatedAt()));
                firstPage = new ArrayList<>(before.keySet()).subList(0, MOVED);
                prefix = "/api/v4/contacts";
                change = () -> firstPage.forEach(id -> sandbox.account().updateContact(id, c -> c.withName("moved")));
            }
            case "tasks" -> {
                truth.tasks().live().stream()
                        .sorted(Comparator.comparingLong(Task::id))
                        .forEach(t -> before.put(t.id(), t.updatedAt()));
                firstPage = new ArrayList<>(before.keySet()).subList(0, MOVED);
                prefix = "/api/v4/tasks";
                change = () -> firstPage.forEach(id -> sandbox.account().updateTask(id, t -> t.withText("moved")));
            }
            default -> {
                truth.notes().get("leads").live().stream()
                        .sorted(Comparator.comparingLong(Note::id))
                        .forEach(n -> before.put(n.id(), n.updatedAt()));
                firstPage = new ArrayList<>(before.keySet()).subList(0, MOVED);
                prefix = "/api/v4/leads/notes";
                change = () -> firstPage.forEach(id -> sandbox.account().updateNote("leads", id, n -> n));
            }
        }
        if (bounded) {
            before.values().removeIf(updatedAt -> updatedAt > end);
        }
        assertTrue(before.size() > 500, "a read of several pages");
        sandbox.faults().mutateAfterPage(prefix, 1, change);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("from", "0");
        options.putAll(layout);
        if (bounded) {
            options.put("to", String.valueOf(end));
        }
        if (entity.equals("notes")) {
            options.put("entity_types", "leads");
        }
        Set<Long> got = ids(read(entity, options));
        Set<Long> moved = new HashSet<>(firstPage);
        List<Long> lost = before.keySet().stream()
                .filter(id -> !got.contains(id) && (!bounded || !moved.contains(id)))
                .toList();
        assertTrue(
                lost.isEmpty(),
                lost.size() + " rows that existed before the read are missing, e.g. "
                        + lost.subList(0, Math.min(5, lost.size())));
        long changedDuringRead = sandbox.requests().snapshot().stream()
                .filter(r -> r.path().equals(prefix))
                .count();
        assertTrue(changedDuringRead >= 3, "the read took several requests");
    }

    /** 1,000 updates stamped with one second are all read, under both bound readings. */
    @ParameterizedTest(name = "fromInclusive={0} toInclusive={1}")
    @MethodSource("bounds")
    void thousandSameSecondUpdatesAreAllRead(boolean fromInclusive, boolean toInclusive) {
        start(SandboxSettings.defaults().withSeed(11).withLeads(1300));
        sandbox.fidelity().fromInclusive = fromInclusive;
        sandbox.fidelity().toInclusive = toInclusive;
        sandbox.clock().advance(Duration.ofSeconds(120));
        long from = sandbox.clock().nowSeconds() - 5;
        List<Long> same = sandbox.account().bulkUpdateSameSecond(1000);
        sandbox.clock().advance(Duration.ofSeconds(3));
        Lead later = sandbox.account().renameLead(same.get(0) + 0, "after");
        Set<Long> got = ids(read("leads", Map.of("from", String.valueOf(from))));
        assertTrue(
                got.containsAll(same),
                (1000 - same.stream().filter(got::contains).count()) + " of the 1,000 missing");
        assertTrue(got.contains(later.id()));
        assertEquals(1000, got.size(), "only the rows changed since 'from'");
        List<RequestRecord> leads = sandbox.requests().snapshot().stream()
                .filter(r -> r.path().equals("/api/v4/leads"))
                .toList();
        assertTrue(
                leads.stream().anyMatch(r -> r.target().contains("page=2")),
                "the dense second was read by page number");
        // 4 pages for the dense second, the keyset page that finds it dense, up to 3 one-row probes
        // of the bound readings (once per account), the check after it, and the last page.
        assertTrue(
                leads.size() <= 4 + 6, "about a request per 250 rows, plus the dense second's edges: " + leads.size());
        assertTrue(leads.stream().filter(r -> r.target().contains("limit=1&")).count() <= 3, "at most 3 probes");
    }

    static Stream<Arguments> bounds() {
        return Stream.of(
                Arguments.of(true, true),
                Arguments.of(true, false),
                Arguments.of(false, true),
                Arguments.of(false, false));
    }

    /**
     * With the account's API filters off, an incremental read falls back to
     * If-Modified-Since and returns exactly the rows changed.
     */
    @Test
    void filtersOffFallsBackToIfModifiedSince() {
        start(SandboxSettings.defaults().withSeed(3).withLeads(600).withApiFilterEnabled(false));
        sandbox.clock().advance(Duration.ofSeconds(120));
        long from = sandbox.clock().nowSeconds();
        Set<Long> changed = changeSomeLeads(40);
        assertEquals(changed, ids(read("leads", Map.of("from", String.valueOf(from)))));
        List<RequestRecord> leads = sandbox.requests().snapshot().stream()
                .filter(r -> r.path().equals("/api/v4/leads"))
                .toList();
        assertFalse(leads.isEmpty());
        assertTrue(
                leads.stream()
                        .allMatch(
                                r -> r.ifModifiedSince() != null && !r.target().contains("filter[updated_at]")),
                "If-Modified-Since, not the ignored filter");
        assertTrue(leads.size() <= 2, "a few requests for 40 rows, not the whole account: " + leads.size());
    }

    /** An account that reports filters on but ignores them: the page check proves it, and the read falls back. */
    @Test
    void filtersClaimedButIgnoredAreCaughtAndFallBack() {
        start(SandboxSettings.defaults().withSeed(4).withLeads(600));
        sandbox.fidelity().honourFilters = false;
        sandbox.clock().advance(Duration.ofSeconds(120));
        long from = sandbox.clock().nowSeconds();
        Set<Long> changed = changeSomeLeads(25);
        try (LogCapture logs = new LogCapture()) {
            assertEquals(changed, ids(read("leads", Map.of("from", String.valueOf(from)))));
            assertTrue(logs.text().contains("API filters off"), "the reason is logged");
        }
        List<RequestRecord> leads = sandbox.requests().snapshot().stream()
                .filter(r -> r.path().equals("/api/v4/leads"))
                .toList();
        assertTrue(leads.size() <= 3, "one page proved it, then If-Modified-Since: " + leads.size());
    }

    private Set<Long> changeSomeLeads(int n) {
        Set<Long> out = new HashSet<>();
        for (Lead l : sandbox.groundTruth().leads().live()) {
            if (out.size() == n) {
                break;
            }
            if (l.id() % 7 == 0) {
                sandbox.account().updateLeadPrice(l.id(), 12345);
                out.add(l.id());
            }
        }
        return out;
    }
}
