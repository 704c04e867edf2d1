package io.amocrmetl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.testing.Canonical;
import io.amocrmetl.testing.SandboxConfig;
import io.amocrmetl.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushdown: a filter the API applies exactly becomes request parameters, the request log shows
 * only the requests the range needs, the rows are those Spark would find itself, and EXPLAIN says
 * what was pushed.
 */
class ReaderPushdownIT {
    @TempDir
    static Path dir;

    static Sandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(19).withLeads(1200));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void clearLog() {
        sandbox.requests().clear();
    }

    static Dataset<Row> leads() {
        return SparkTestSession.get()
                .read()
                .format("amocrm")
                .option("entity", "leads")
                .options(SandboxConfig.fast(sandbox, dir))
                .load();
    }

    static List<RequestRecord> requests(String path) {
        return sandbox.requests().snapshot().stream()
                .filter(r -> r.path().equals(path))
                .toList();
    }

    /** Rows as sorted canonical text, for "same rows" comparisons. */
    static List<String> text(List<Row> rows) {
        return Canonical.rows(rows).stream().map(String::valueOf).sorted().toList();
    }

    @Test
    void rangeAndIdsMakeOnlyTheRequestsTheyNeedAndReturnTheSameRows() {
        List<Lead> live = sandbox.groundTruth().leads().live().stream()
                .sorted(Comparator.comparingLong(Lead::updatedAt))
                .toList();
        Lead a = live.get(300);
        Lead b = live.get(700);
        List<Long> ids =
                List.of(live.get(350).id(), live.get(500).id(), live.get(900).id(), 1L);
        String where = "updated_at BETWEEN timestamp'" + new Timestamp(a.updatedAt() * 1000) + "' AND timestamp'"
                + new Timestamp(b.updatedAt() * 1000) + "' AND id IN ("
                + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
        Dataset<Row> pushed = leads().where(where);
        List<Row> got = pushed.collectAsList();
        List<RequestRecord> reqs = requests("/api/v4/leads");
        assertEquals(1, reqs.size(), "one filter[id][] request: " + reqs);
        assertTrue(reqs.get(0).target().contains("filter[id][]="), reqs.get(0).target());
        String explain = pushed.queryExecution().explainString(org.apache.spark.sql.execution.ExtendedMode$.MODULE$);
        assertTrue(explain.contains("PushedToApi: updated_at >=") && explain.contains("id IN"), explain);

        // Without pushdown: the whole list, filtered by Spark.
        List<Row> all = leads().localCheckpoint().where(where).collectAsList();
        assertEquals(text(all), text(got));
        assertEquals(2, got.size(), "ids 350 and 500 are inside the range; 900 is not; 1 does not exist");
    }

    @Test
    void aRangeReadsOnlyItsPages() {
        List<Lead> live = sandbox.groundTruth().leads().live().stream()
                .sorted(Comparator.comparingLong(Lead::updatedAt))
                .toList();
        long from = live.get(200).updatedAt();
        long to = live.get(799).updatedAt();
        long inRange = live.stream()
                .filter(l -> l.updatedAt() >= from && l.updatedAt() <= to)
                .count();
        Dataset<Row> df = leads().where("updated_at >= timestamp'" + new Timestamp(from * 1000)
                        + "' AND updated_at <= timestamp'" + new Timestamp(to * 1000) + "'")
                .select("id", "updated_at");
        List<Row> got = df.collectAsList();
        assertEquals(inRange, got.size());
        List<RequestRecord> reqs = requests("/api/v4/leads");
        long pages = (inRange + 249) / 250;
        int partitions = AmoSourceIT.plannedPartitions(df).length;
        // Each partition sweeps its stretch by keyset: a request per page, whatever the windows.
        assertTrue(
                reqs.size() <= pages + partitions,
                reqs.size() + " requests for " + inRange + " rows in " + partitions + " partitions");
        assertTrue(
                reqs.stream().allMatch(r -> r.target().contains("filter[updated_at][from]")),
                "the range went to the API");
        assertTrue(reqs.stream().noneMatch(r -> r.target().contains("with=")), "no with= for columns nobody asked for");
    }

    @Test
    void prunedColumnsDecideWith() {
        leads().select("id", "contacts").collectAsList();
        assertTrue(
                requests("/api/v4/leads").stream()
                        .allMatch(r -> r.target().contains("with=contacts")
                                && !r.target().contains("catalog_elements")),
                requests("/api/v4/leads").toString());
    }

    @Test
    void noteTypesAndEventTypesArePushed() {
        Dataset<Row> notes = SparkTestSession.get()
                .read()
                .format("amocrm")
                .option("entity", "notes")
                .options(SandboxConfig.fast(sandbox, dir))
                .load()
                .where("note_type IN ('common', 'call_in') AND entity_type = 'leads'");
        List<Row> rows = notes.collectAsList();
        assertFalse(rows.isEmpty());
        long expected = sandbox.groundTruth().notes().get("leads").live().stream()
                .filter(n -> n.noteType().equals("common") || n.noteType().equals("call_in"))
                .count();
        assertEquals(expected, rows.size());
        assertTrue(requests("/api/v4/leads/notes").stream()
                .allMatch(r -> r.target().contains("filter[note_type][]=common")));
        assertTrue(requests("/api/v4/contacts/notes").isEmpty(), "entity_type chose the endpoint");

        Dataset<Row> events = SparkTestSession.get()
                .read()
                .format("amocrm")
                .option("entity", "events")
                .options(SandboxConfig.fast(sandbox, dir))
                .load()
                .where("type = 'lead_status_changed'");
        long statusChanges = sandbox.groundTruth().events().stream()
                .filter(e -> e.type().equals("lead_status_changed"))
                .count();
        assertEquals(statusChanges, events.count());
        assertTrue(requests("/api/v4/events").stream()
                .allMatch(r -> r.target().contains("filter[type][]=lead_status_changed")));
        Map<String, Long> m = AmoSourceIT.metrics(events);
        assertTrue(m.get(ReadMetrics.REQUESTS) <= (statusChanges + 99) / 100 + 1, "only the pages of that type");
    }
}
