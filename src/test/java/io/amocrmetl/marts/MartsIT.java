package io.amocrmetl.marts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.ingest.IngestJob;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.state.Journal;
import io.amocrmetl.testing.LakeTemplate;
import io.amocrmetl.testing.SandboxConfig;
import io.amocrmetl.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The marts (docs/marts-and-notebooks.md) over a lake ingested from the
 * sandbox, each compared with {@link ExpectedMarts}, which computes them from ground truth. The
 * sandbox clock starts at 21:30 UTC on the last day of a month, so leads created and closed during
 * the test fall in the next month in the account's zone (Europe/Moscow) and in this one in UTC.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Marts register temporary views by table name in the one session (docs/testing.md, "CI budget").
@ResourceLock(SparkTestSession.TEMP_VIEWS)
class MartsIT {
    static final String GA = "GA Client ID";
    static final Instant CLOCK_START = Instant.parse("2026-03-31T21:30:00Z");
    static final SparkSession SPARK = SparkTestSession.get();
    static Path dir;
    static Sandbox sandbox;
    static Map<String, String> config;
    static GroundTruth truth;
    static ExpectedMarts expected;
    static long account;
    static String martsOutput;
    static IngestJob.Result secondIngest;

    @BeforeAll
    static void lakeAndMarts() throws IOException {
        dir = Files.createTempDirectory("marts-it");
        sandbox = Sandbox.start(
                SandboxSettings.defaults().withSeed(7).withLeads(60).withClockStart(CLOCK_START));
        config = new LinkedHashMap<>(SandboxConfig.fast(sandbox, dir));
        config.put("lake.path", dir.resolve("lake").toString());
        LakeTemplate.copyTo(dir.resolve("lake"));
        config.put("history.initial-days", "400");
        config.put("ingest.margin", "0s");
        config.put("ingest.window", "400d");
        config.put("amocrm.custom-fields.ga-client-id", GA);
        config.put("marts.mybi-views", "true");
        // What the marts read: leads (with their fields, tags, history) and tasks, besides the reference tables.
        for (String off : List.of("contacts", "companies", "unsorted")) {
            config.put("tables." + off + ".enabled", "false");
        }
        ingest();
        change(sandbox);
        secondIngest = ingest();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MartsJob.run(SPARK, EtlConfig.load(null, config), null, new PrintStream(out, true, StandardCharsets.UTF_8));
        martsOutput = out.toString(StandardCharsets.UTF_8);
        System.out.print(martsOutput);
        truth = sandbox.groundTruth();
        expected = new ExpectedMarts(truth, GA);
        account = truth.account().id();
        MartViews.register(
                Lake.readOnly(SPARK, config.get("lake.path")),
                EtlConfig.load(null, config).marts());
    }

    @AfterAll
    static void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static IngestJob.Result ingest() {
        sandbox.clock().advance(Duration.ofSeconds(2));
        return IngestJob.run(
                SPARK,
                EtlConfig.load(null, config),
                config,
                new IngestJob.Options(null),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** Leads walk through their pipeline half an hour a step, some are won or lost, two deleted, three new. */
    static void change(Sandbox s) {
        AccountData a = s.account();
        GroundTruth before = s.groundTruth();
        List<Lead> open = before.leads().live().stream()
                .filter(l -> ExpectedMarts.stage(l).equals("open"))
                .sorted(Comparator.comparingLong(Lead::id))
                .limit(12)
                .toList();
        Map<Long, Long> status = new HashMap<>();
        open.forEach(l -> status.put(l.id(), l.statusId()));
        for (int step = 0; step < 3; step++) {
            s.clock().advance(Duration.ofMinutes(30 + 7 * step));
            for (int i = 0; i < open.size(); i++) {
                Lead l = open.get(i);
                long next;
                if (step < 2) {
                    Pipeline p = before.pipelines().stream()
                            .filter(x -> x.id() == l.pipelineId())
                            .findFirst()
                            .orElseThrow();
                    List<Long> stages = p.statuses().stream()
                            .filter(x -> x.id() != ExpectedMarts.WON && x.id() != ExpectedMarts.LOST)
                            .sorted(Comparator.comparingInt(Status::sort))
                            .map(Status::id)
                            .toList();
                    next = stages.get((stages.indexOf(status.get(l.id())) + 1) % stages.size());
                } else {
                    next = i % 3 == 0 ? ExpectedMarts.WON : i % 3 == 1 ? ExpectedMarts.LOST : -1;
                }
                if (next > 0) {
                    a.changeLeadStatus(l.id(), next);
                    status.put(l.id(), next);
                }
            }
        }
        Task due = before.tasks().live().stream()
                .filter(x -> !x.isCompleted())
                .findFirst()
                .orElseThrow();
        a.updateTask(
                due.id(),
                x -> new Task(
                        x.id(),
                        x.createdBy(),
                        x.updatedBy(),
                        x.createdAt(),
                        x.updatedAt(),
                        x.responsibleUserId(),
                        x.groupId(),
                        x.entityId(),
                        x.entityType(),
                        false,
                        x.taskTypeId(),
                        x.text(),
                        x.duration(),
                        s.clock().nowSeconds() + 3 * 86_400L,
                        x.resultText()));
        a.addLead("Новая «весна»", 12_345L);
        a.addLead("New \"April\" lead", 0);
        a.addLead("🌷 third", 700L);
        List<Lead> live = s.groundTruth().leads().live();
        a.delete("leads", live.get(3).id());
        a.delete("leads", open.get(0).id());
        s.clock().advance(Duration.ofMinutes(5));
    }

    // ---- the marts -----------------------------------------------------------------------

    @Test
    @Order(1)
    void currentViewsHideDeletedRows() {
        assertTrue(truth.leads().deleted().size() >= 2, "the test deletes two leads");
        assertEquals(expected.liveLeadIds(), ids("leads_current", "id"));
        assertEquals(
                truth.leads().live().size() + truth.leads().deleted().size(),
                SPARK.table("leads").where("account_id = " + account).count(),
                "the lake keeps deleted leads, flagged");
        Set<Long> tasks = new TreeSet<>();
        truth.tasks().live().forEach(t -> tasks.add(t.id()));
        assertEquals(tasks, ids("tasks_current", "id"));
        assertEquals(
                truth.users().size(),
                SPARK.table("users_current").where("account_id = " + account).count());
    }

    @Test
    @Order(2)
    void leadFactsBucketByTheAccountsLocalMonth() {
        Map<List<Object>, Row> facts = byKey("lead_facts", "lead_id");
        assertEquals(expected.liveLeadIds().size(), facts.size());
        int differsFromUtc = 0;
        for (Lead l : expected.liveLeads()) {
            Row r = facts.get(List.of(l.id()));
            assertNotNull(r, "lead " + l.id());
            assertEquals(
                    expected.localMonth(l.createdAt()),
                    r.getDate(r.fieldIndex("created_month")).toLocalDate(),
                    "lead " + l.id());
            assertEquals(ExpectedMarts.stage(l), r.getAs("stage"));
            assertEquals(0, ExpectedMarts.price(l).compareTo(r.getAs("price")));
            if (l.closedAt() != null) {
                assertEquals(
                        expected.localMonth(l.closedAt()),
                        r.getDate(r.fieldIndex("closed_month")).toLocalDate());
            }
            if (!expected.localMonth(l.createdAt()).equals(ExpectedMarts.utcMonth(l.createdAt()))) {
                differsFromUtc++;
            }
        }
        assertTrue(differsFromUtc >= 3, "leads created at 21:30 UTC on a month's last day are next month's in Moscow");
        assertEquals(LocalDate.parse("2026-04-01"), expected.localMonth(CLOCK_START.getEpochSecond()));
    }

    @Test
    @Order(3)
    void salesFunnel() {
        assertRows(
                "sales_funnel",
                List.of("pipeline_id", "status_id"),
                expected.salesFunnel(coverageStart("lead_status_history")));
    }

    @Test
    @Order(4)
    void conversionMonthly() {
        Map<List<Object>, Map<String, Object>> want = expected.conversionMonthly();
        assertTrue(want.values().stream().anyMatch(r -> (long) r.get("closed_won") > 0), "some leads were won");
        assertRows("conversion_monthly", List.of("pipeline_id", "month"), want);
    }

    @Test
    @Order(5)
    void timeInStatusStatesItsCoverageStart() {
        long coverage = coverageStart("lead_status_history");
        Map<List<Object>, Map<String, Object>> want = expected.timeInStatus(coverage);
        assertTrue(
                want.values().stream().anyMatch(r -> (long) r.get("completed_stays") > 0), "some stays were completed");
        assertRows("time_in_status", List.of("pipeline_id", "status_id"), want);
        for (Row r :
                SPARK.table("time_in_status").where("account_id = " + account).collectAsList()) {
            assertEquals(
                    coverage,
                    r.getTimestamp(r.fieldIndex("coverage_start")).toInstant().getEpochSecond());
        }
    }

    @Test
    @Order(6)
    void managerStats() {
        Row sync = SPARK.table("_sync_state")
                .where("account_id = " + account + " AND table_name = 'tasks'")
                .first();
        long asOf = sync.getTimestamp(sync.fieldIndex("watermark")).toInstant().getEpochSecond();
        Map<List<Object>, Map<String, Object>> want = expected.managerStats(asOf);
        assertTrue(want.values().stream().anyMatch(r -> (long) r.get("overdue_tasks") > 0), "some tasks are overdue");
        assertTrue(
                want.values().stream().anyMatch(r -> (long) r.get("open_tasks") > (long) r.get("overdue_tasks")),
                "some open tasks are not yet due");
        assertRows("manager_stats", List.of("user_id"), want);
    }

    @Test
    @Order(7)
    void gaClientIdCoverage() {
        Map<List<Object>, Map<String, Object>> want = expected.gaCoverage();
        assertTrue(want.values().stream().anyMatch(r -> (long) r.get("with_ga_client_id") > 0));
        assertTrue(want.values().stream().anyMatch(r -> (long) r.get("without_ga_client_id") > 0));
        assertRows("ga_client_id_coverage", List.of("pipeline_id", "month"), want);
    }

    @Test
    @Order(8)
    void leadsWidePivotsEveryFieldByIdUnderItsCurrentName() {
        var df = SPARK.table("leads_wide").where("account_id = " + account);
        Map<Long, String> columnOf = new HashMap<>();
        for (StructField f : df.schema().fields()) {
            if (f.metadata().contains("comment")
                    && f.metadata().getString("comment").startsWith("custom field ")) {
                columnOf.put(Long.parseLong(f.metadata().getString("comment").split(" ")[2]), f.name());
            }
        }
        Set<Long> fieldIds = new TreeSet<>();
        truth.customFields().get("leads").forEach(f -> fieldIds.add(f.id()));
        assertEquals(fieldIds, columnOf.keySet(), "one column per lead field");
        assertEquals(columnOf.size(), new HashSet<>(columnOf.values()).size(), "no two fields share a column");
        long textField = truth.customFields().get("leads").stream()
                .filter(f -> f.name().equals("Поле text"))
                .findFirst()
                .orElseThrow()
                .id();
        assertEquals("поле_text", columnOf.get(textField), "named by the field's name");
        long gaField = truth.customFields().get("leads").stream()
                .filter(f -> f.name().equals(GA))
                .findFirst()
                .orElseThrow()
                .id();
        assertEquals("ga_client_id_" + gaField, columnOf.get(gaField), "a name lead_facts has gets the field id");

        Map<List<Object>, Object> cells = expected.wideCells();
        Map<List<Object>, Row> rows = byKey("leads_wide", "lead_id");
        assertEquals(expected.liveLeadIds().size(), rows.size(), "one row per live lead");
        int checked = 0;
        for (Lead l : expected.liveLeads()) {
            Row r = rows.get(List.of(l.id()));
            for (long field : fieldIds) {
                Object want = cells.get(List.of(l.id(), field));
                Object have = r.get(r.fieldIndex(columnOf.get(field)));
                assertSame(
                        want, have, "leads_wide lead " + l.id() + " field " + field + " (" + columnOf.get(field) + ")");
                checked += want == null ? 0 : 1;
            }
            List<String> tags = new ArrayList<>();
            l.tags().forEach(t -> tags.add(t.name()));
            tags.sort(String::compareTo);
            assertEquals(tags.isEmpty() ? null : String.join(", ", tags), r.getAs("tags"), "tags of " + l.id());
        }
        assertTrue(checked > 500, "cells compared: " + checked);
    }

    @Test
    @Order(9)
    void mybiViews() {
        Map<List<Object>, Row> leads = byKey("amocrm_leads", "lead_id");
        assertEquals(truth.leads().live().size() + truth.leads().deleted().size(), leads.size());
        Map<Long, String> statusNames = new HashMap<>();
        truth.pipelines().forEach(p -> p.statuses().forEach(st -> statusNames.put(p.id() * 1000 + st.id(), st.name())));
        for (Lead l : truth.leads().live()) {
            Row r = leads.get(List.of(l.id()));
            assertEquals(statusNames.get(l.pipelineId() * 1000 + l.statusId()), r.getAs("status"));
            assertEquals(false, r.getAs("is_deleted"));
            assertEquals(l.id(), (long) r.getAs("id"));
        }
        truth.leads()
                .deleted()
                .forEach(d ->
                        assertEquals(true, leads.get(List.of(d.record().id())).getAs("is_deleted")));
        Map<List<Object>, String> want = expected.mybiAttributes();
        Map<List<Object>, String> have = new HashMap<>();
        for (Row r : SPARK.table("amocrm_leads_attributes")
                .where("account_id = " + account)
                .collectAsList()) {
            have.put(List.of(r.getAs("leads_id"), r.getAs("attribute_id")), r.getAs("value"));
        }
        assertEquals(want, have);
        assertEquals(
                truth.pipelines().stream().mapToLong(p -> p.statuses().size()).sum(),
                SPARK.table("amocrm_statuses").where("account_id = " + account).count());
    }

    @Test
    @Order(9)
    void mybiViewsHoldTheCrmsValues() {
        assertRows("amocrm_leads", List.of("id"), expected.mybiLeads());
        assertRows("amocrm_leads_facts", List.of("leads_id"), expected.mybiLeadFacts());
        assertRows("amocrm_pipelines", List.of("pipeline_id"), expected.mybiPipelines());
        assertRows("amocrm_users", List.of("user_id"), expected.mybiUsers());
        // Tags and tasks of what is live; a deleted lead keeps its last tags, a deleted task its row.
        String liveLeads = "leads_id IN ("
                + String.join(
                        ",",
                        expected.liveLeadIds().stream().map(String::valueOf).toList()) + ")";
        Map<List<Object>, Map<String, Object>> tags = expected.mybiLeadTags();
        assertTrue(tags.size() > 10, "tags compared: " + tags.size());
        assertRows("amocrm_leads_tags", liveLeads, List.of("leads_id", "tag_id"), tags);
        Map<List<Object>, Map<String, Object>> tasks = expected.mybiTasks();
        assertTrue(
                tasks.values().stream().anyMatch(x -> x.get("status_code").equals(1L))
                        && tasks.values().stream()
                                .anyMatch(x -> x.get("status_code").equals(0L)),
                "completed and open tasks");
        assertRows("amocrm_tasks", "NOT is_deleted", List.of("task_id"), tasks);
    }

    @Test
    @Order(10)
    void dataFreshnessShowsEachTablesLatestRunAndLastSuccess() {
        assertTrue(martsOutput.contains("leads_wide"), martsOutput);
        Map<List<Object>, Row> fresh = byKey("data_freshness", "job", "table_name");
        Row leads = fresh.get(List.of("ingest", "leads"));
        assertEquals(secondIngest.runId(), leads.getAs("last_run_id"));
        assertEquals("ok", leads.getAs("last_status"));
        assertNotNull(leads.getAs("last_success_at"));
        assertNotNull(leads.getAs("watermark"));
        Row wide = fresh.get(List.of("marts", "leads_wide"));
        assertEquals(
                (long) expected.liveLeadIds().size(),
                (long) wide.getAs("last_rows_written"),
                "marts journal their rows");

        // A later run that failed on tasks: the view shows the failure and still knows the last success.
        Lake lake = Lake.readOnly(SPARK, config.get("lake.path"));
        Journal j = new Journal(lake, account, "failed-run", "ingest", "amocrm");
        Journal.Entry e = new Journal.Entry("tasks");
        e.status = "failed";
        e.error = "GET /api/v4/tasks page 3: 502";
        e.startedAt = Instant.now().plusSeconds(60);
        e.finishedAt = Instant.now().plusSeconds(61);
        j.write(e);
        j.flush();
        MartViews.register(lake, EtlConfig.load(null, config).marts());
        Row tasks = byKey("data_freshness", "job", "table_name").get(List.of("ingest", "tasks"));
        assertEquals("failed", tasks.getAs("last_status"));
        assertEquals("failed-run", tasks.getAs("last_run_id"));
        assertEquals(e.error, tasks.getAs("last_error"));
        Timestamp success = tasks.getAs("last_success_at");
        assertNotNull(success);
        assertTrue(success.toInstant().isBefore(e.finishedAt));
    }

    @Test
    @Order(11)
    void reconciliationLatestReadsTheLatestRunAndAnAbsentTable() throws IOException {
        Lake lake = Lake.readOnly(SPARK, config.get("lake.path"));
        var settings = EtlConfig.load(null, config).marts();
        assertEquals(0, SPARK.table("reconciliation_latest").count(), "nothing before reconcile runs");
        List<Row> rows = new ArrayList<>();
        for (String run : List.of("old", "new")) {
            Timestamp at = Timestamp.from(CLOCK_START.plusSeconds(run.equals("old") ? 0 : 3600));
            for (long pipeline : List.of(1L, 2L)) {
                rows.add(RowFactory.create(
                        account,
                        run,
                        at,
                        "count_sum",
                        "leads",
                        "p" + pipeline,
                        "2026-04",
                        pipeline,
                        null,
                        null,
                        null,
                        10L,
                        run.equals("old") ? 11L : 10L,
                        new BigDecimal("5.00"),
                        new BigDecimal("5.00"),
                        null,
                        null,
                        run.equals("old") ? "differs" : "ok"));
            }
        }
        SPARK.createDataFrame(rows, Tables.get(Tables.RECONCILIATION).schema())
                .write()
                .format("delta")
                .mode("append")
                .save(lake.path(Tables.RECONCILIATION));
        MartViews.register(lake, settings);
        List<Row> latest = SPARK.table("reconciliation_latest").collectAsList();
        assertEquals(2, latest.size());
        latest.forEach(r -> assertEquals("new", r.getAs("run_id")));

        // A lake from before reconcile existed: no _reconciliation folder at all.
        try (var walk = Files.walk(Path.of(lake.path(Tables.RECONCILIATION)))) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        MartViews.register(lake, settings);
        var empty = SPARK.table("reconciliation_latest");
        assertEquals(0, empty.count());
        assertTrue(Arrays.asList(empty.columns())
                .containsAll(
                        List.of("account_id", "run_id", "lake_count", "api_count", "lake_sum", "api_sum", "status")));
    }

    // ---- helpers -------------------------------------------------------------------------

    static long coverageStart(String table) {
        Row r = SPARK.table("_sync_state")
                .where("account_id = " + account + " AND table_name = '" + table + "'")
                .first();
        return r.getTimestamp(r.fieldIndex("coverage_start")).toInstant().getEpochSecond();
    }

    static Set<Long> ids(String view, String column) {
        Set<Long> out = new TreeSet<>();
        SPARK.table(view)
                .where("account_id = " + account)
                .select(column)
                .collectAsList()
                .forEach(r -> out.add(r.getLong(0)));
        return out;
    }

    static Map<List<Object>, Row> byKey(String view, String... keys) {
        return byKeyWhere(view, "true", keys);
    }

    static Map<List<Object>, Row> byKeyWhere(String view, String where, String... keys) {
        Map<List<Object>, Row> out = new LinkedHashMap<>();
        for (Row r :
                SPARK.table(view).where("account_id = " + account).where(where).collectAsList()) {
            List<Object> key = new ArrayList<>();
            for (String k : keys) {
                Object v = r.get(r.fieldIndex(k));
                key.add(v instanceof java.sql.Date d ? d.toLocalDate() : v instanceof Integer n ? Long.valueOf(n) : v);
            }
            if (out.put(key, r) != null) {
                throw new AssertionError(view + " has two rows for " + key);
            }
        }
        return out;
    }

    /** The mart's rows for the account, by key, equal the expectation: same keys, same values. */
    static void assertRows(String view, List<String> keys, Map<List<Object>, Map<String, Object>> want) {
        assertRows(view, "true", keys, want);
    }

    /** As {@link #assertRows(String, List, Map)}, over the view's rows that match a SQL condition. */
    static void assertRows(String view, String where, List<String> keys, Map<List<Object>, Map<String, Object>> want) {
        Map<List<Object>, Row> have = byKeyWhere(view, where, keys.toArray(String[]::new));
        assertEquals(
                new TreeSet<>(want.keySet().stream().map(Object::toString).toList()),
                new TreeSet<>(have.keySet().stream().map(Object::toString).toList()),
                view + " keys");
        List<String> diffs = new ArrayList<>();
        want.forEach((key, cols) -> cols.forEach((col, value) -> {
            Row r = have.get(key);
            Object actual = r.get(r.fieldIndex(col));
            try {
                assertSame(value, actual, col);
            } catch (AssertionError e) {
                diffs.add(view + " " + key + " " + col + ": expected " + value + ", got " + actual);
            }
        }));
        assertTrue(
                diffs.isEmpty(),
                diffs.size() + " differences:\n" + String.join("\n", diffs.subList(0, Math.min(20, diffs.size()))));
    }

    /** Equal as values: numbers by value (doubles to 1e-9), dates and times by their java.time value. */
    static void assertSame(Object want, Object have, String what) {
        if (want == null || have == null) {
            assertEquals(want, have, what);
        } else if (want instanceof BigDecimal d) {
            assertEquals(0, d.compareTo((BigDecimal) have), what + ": expected " + want + ", got " + have);
        } else if (want instanceof Double d) {
            assertEquals(d, ((Number) have).doubleValue(), 1e-9, what);
        } else if (want instanceof Long n) {
            assertEquals(n.longValue(), ((Number) have).longValue(), what);
        } else if (want instanceof LocalDate d) {
            assertEquals(d, ((java.sql.Date) have).toLocalDate(), what);
        } else if (want instanceof Instant i) {
            assertEquals(i, ((Timestamp) have).toInstant(), what);
        } else {
            assertEquals(want, have, what);
        }
    }
}
