package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.testing.Canonical;
import io.amocrmetl.testing.ExpectedLake;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table selection, filters and same-second edits (docs/lakehouse.md).
 */
class IngestOptionsIT {
    @TempDir
    Path dir;

    /**
     * Disabled tables stay empty; events hold exactly tables.events.types; a
     * note-type filter is pushed to the API (request log) and only those notes land.
     */
    @Test
    void selectionEventTypesAndANoteFilterAreRespected() {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(33).withLeads(60), dir)) {
            h.config.put("tables.companies.enabled", "false");
            h.config.put("tables.unsorted.enabled", "false");
            h.config.put("tables.notes.enabled", "true");
            h.config.put("tables.notes.filter", "note_type IN ('common', 'call_in')");
            h.config.put("tables.events.enabled", "true");
            h.config.put("tables.events.types", "[lead_status_changed, lead_added]");
            h.run();
            long account = h.sandbox.groundTruth().account().id();
            assertEquals(0, h.lake().read("companies", account).count(), "a disabled table is not loaded");
            assertEquals(0, h.lake().read("unsorted", account).count());
            assertTrue(h.lake().read("leads", account).count() > 0);

            ExpectedLake expected = new ExpectedLake(h.sandbox.groundTruth(), LakeHarness.GA, LakeHarness.REQUEST_ID);
            List<Map<String, Object>> notes = expected.table("notes").stream()
                    .filter(r -> Set.of("common", "call_in").contains(r.get("note_type")))
                    .toList();
            assertFalse(notes.isEmpty());
            Canonical.assertSameRows(
                    "notes",
                    Tables.get("notes").key(),
                    notes,
                    Canonical.rows(h.lake().read("notes", account).collectAsList()),
                    Set.of());
            List<Map<String, Object>> events = expected.table("events").stream()
                    .filter(r -> Set.of("lead_status_changed", "lead_added").contains(r.get("type")))
                    .toList();
            Canonical.assertSameRows(
                    "events",
                    Tables.get("events").key(),
                    events,
                    Canonical.rows(h.lake().read("events", account).collectAsList()),
                    Set.of());

            List<RequestRecord> noteRequests = h.sandbox.requests().snapshot().stream()
                    .filter(r -> r.path().endsWith("/notes"))
                    .toList();
            assertFalse(noteRequests.isEmpty());
            assertTrue(
                    noteRequests.stream()
                            .allMatch(r -> r.target().contains("filter[note_type][]=common")
                                    && r.target().contains("filter[note_type][]=call_in")),
                    "the note filter went to the API");
            assertTrue(
                    h.sandbox.requests().snapshot().stream()
                            .noneMatch(r -> r.path().equals("/api/v4/companies")),
                    "no request for a disabled table");
        }
    }

    /** Two edits within one second, seen in two runs, end with the second in the lake. */
    @Test
    void theSecondOfTwoEditsInOneSecondWins() {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(44).withLeads(40), dir)) {
            for (String t : List.of("contacts", "companies", "tasks", "unsorted")) {
                h.config.put("tables." + t + ".enabled", "false");
            }
            h.run();
            long id = h.sandbox.groundTruth().leads().live().get(5).id();
            Lead first = h.sandbox.account().renameLead(id, "first edit");
            long second = first.updatedAt();
            h.run();
            assertEquals("first edit", name(h, id));
            // Back to that second, for an edit the API stamps with the same updated_at.
            h.sandbox
                    .clock()
                    .advance(Duration.ofMillis(
                            second * 1000 + 500 - h.sandbox.clock().nowMillis()));
            Lead again = h.sandbox.account().renameLead(id, "second edit");
            assertEquals(second, again.updatedAt(), "both edits carry one second");
            h.sandbox.clock().advance(Duration.ofSeconds(30));
            h.run();
            assertEquals("second edit", name(h, id), "equal updated_at, different content: the newer read wins");
        }
    }

    private static String name(LakeHarness h, long id) {
        List<Row> rows = h.lake()
                .read("leads", h.sandbox.groundTruth().account().id())
                .where("id = " + id)
                .select("name")
                .collectAsList();
        assertEquals(1, rows.size());
        return rows.get(0).getString(0);
    }

    static Set<Long> ids(List<Row> rows) {
        return rows.stream().map(r -> r.getLong(0)).collect(Collectors.toCollection(HashSet::new));
    }
}
