package io.amocrmetl.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.state.SyncState;
import io.amocrmetl.testing.Canonical;
import io.amocrmetl.testing.ExpectedLake;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciliation against the sandbox (docs/reconciliation.md). Expected slices
 * and keys come from the sandbox's ground truth, aggregated by this test's own code in the
 * account's calendar.
 */
class ReconcileIT {
    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    /** 2025-04-01T00:30 in Moscow, still March 31st in UTC. */
    static final Instant LATE_MARCH_UTC = Instant.parse("2025-03-31T21:30:00Z");

    @TempDir
    Path dir;

    /**
     * Six kinds of change no signal reports are found exactly; --no-repair
     * reports them and changes nothing; the repair brings the lake to ground truth and a second run
     * finds nothing; the account's time zone decides a lead's month.
     */
    @Test
    void changesBehindTheLakesBackAreFoundExactlyThenRepaired() {
        try (ReconcileHarness h = new ReconcileHarness(dir)) {
            AccountData a = h.sandbox.account();
            long[] range = coverage(h, "leads");
            GroundTruth before = h.sandbox.groundTruth();
            List<Lead> leads = before.leads().live().stream()
                    .filter(l -> inside(l.createdAt(), range))
                    .sorted(Comparator.comparingLong(Lead::id))
                    .toList();
            Lead priced = leads.get(10);
            Lead moved = leads.get(60);
            Lead gone = leads.get(120);
            Lead tagged = leads.get(180);
            long[] contactRange = coverage(h, "contacts");
            Contact contact = before.contacts().live().stream()
                    .filter(c -> inside(c.createdAt(), contactRange))
                    .sorted(Comparator.comparingLong(Contact::id))
                    .toList()
                    .get(20);
            a.rewriteLead(priced.id(), l -> l.withPrice(l.price() + 1234));
            a.rewriteLead(moved.id(), l -> l.withStatus(otherStatus(before, l), null, null));
            a.purge("leads", gone.id());
            long purgedAt = h.sandbox.clock().now().getEpochSecond();
            Lead imported = a.addLeadAt("imported, back-dated", 7000, LATE_MARCH_UTC.getEpochSecond());
            a.tagLeadUntraced(tagged.id(), "a tag nobody signalled");
            a.rewriteContact(contact.id(), c -> c.withName(c.name() + " (fixed in the database)"));
            GroundTruth after = h.sandbox.groundTruth();
            Set<String> slices = differingSlices(before, after, range, MOSCOW);
            assertTrue(slices.size() >= 6, "the changes move several slices: " + slices);
            Map<String, Set<String>> keys = Map.of(
                    "leads",
                    ids(priced.id(), moved.id(), gone.id(), imported.id(), tagged.id()),
                    "contacts",
                    ids(contact.id()));

            // --no-repair reports every difference and changes no table.
            Map<String, Long> versions = h.versions();
            ReconcileJob.Result report = h.reconcile(new ReconcileJob.Options(null, null, null, false, null));
            assertEquals(ExitCode.DATA_CHECK_FAILED, report.exitCode(), "still different: exit 5");
            Map<String, Long> later = h.versions();
            for (String reportTable : List.of(Tables.RECONCILIATION, Tables.JOURNAL)) {
                assertTrue(later.get(reportTable) > versions.get(reportTable), reportTable + " has the report");
                versions.remove(reportTable);
                later.remove(reportTable);
            }
            assertEquals(versions, later, "--no-repair changes no table");
            assertFound(h, report.runId(), slices, keys, "mismatch");

            // 2025-03-31T21:30Z is April 1st in Moscow.
            Row key = results(h, report.runId())
                    .where("kind = 'key' AND entity_key = '" + imported.id() + "'")
                    .first();
            assertEquals("2025-04", key.getAs("period"));
            Row slice = results(h, report.runId())
                    .where("kind = 'slice' AND slice = '2025-04/" + imported.pipelineId() + "/" + imported.statusId()
                            + "/0'")
                    .first();
            assertEquals(1L, (Long) slice.getAs("api_count") - (Long) slice.getAs("lake_count"));

            // The repair, then the lake is ground truth and a second run finds nothing.
            ReconcileJob.Result fixed = h.reconcile(ReconcileJob.Options.defaults());
            assertEquals(ExitCode.OK, fixed.exitCode(), h.lastOutput);
            assertFound(h, fixed.runId(), slices, keys, "repaired");
            List<Row> deletions = h.lake()
                    .read(Tables.DELETIONS, h.account())
                    .where("source = 'reconcile'")
                    .collectAsList();
            assertEquals(
                    List.of(String.valueOf(gone.id())),
                    deletions.stream().map(r -> r.<String>getAs("entity_key")).toList());
            long deletedAt = ((java.sql.Timestamp) deletions.get(0).getAs("deleted_at"))
                    .toInstant()
                    .getEpochSecond();
            assertTrue(
                    deletedAt >= purgedAt
                            && deletedAt <= h.sandbox.clock().now().getEpochSecond(),
                    "deleted by the time the check began: " + deletedAt);
            assertLakeIsGroundTruth(h, gone.id(), deletedAt);
            ReconcileJob.Result again = h.reconcile(ReconcileJob.Options.defaults());
            assertEquals(0, again.differing(), h.lastOutput);
            assertEquals(ExitCode.OK, again.exitCode());
            assertEquals(
                    0,
                    results(h, again.runId())
                            .where("kind <> 'period' OR status <> 'ok'")
                            .count());

            // Time zones, the other way: the same instant is March in an account on UTC.
            a.timezone("UTC");
            Lead utc = a.addLeadAt("imported on a UTC account", 300, LATE_MARCH_UTC.getEpochSecond());
            h.config.put("reconcile.tables", "[leads]");
            ReconcileJob.Result onUtc = h.reconcile(new ReconcileJob.Options(null, null, null, false, null));
            assertEquals(ExitCode.DATA_CHECK_FAILED, onUtc.exitCode());
            assertEquals(
                    "2025-03",
                    results(h, onUtc.runId())
                            .where("kind = 'key' AND entity_key = '" + utc.id() + "'")
                            .first()
                            .getAs("period"));
            assertEquals(
                    1,
                    results(h, onUtc.runId())
                            .where("kind = 'slice' AND slice = '2025-03/" + utc.pipelineId() + "/" + utc.statusId()
                                    + "/0'")
                            .count());
        }
    }

    /**
     * A clean lake shows no difference, in about one request per list page;
     * with a change every (sandbox) second while the check runs, no false mismatch.
     */
    @Test
    void aCleanLakeHasNoDifferenceAndChangesDuringTheCheckAreNoMismatch() {
        try (ReconcileHarness h = new ReconcileHarness(dir)) {
            GroundTruth truth = h.sandbox.groundTruth();
            Map<String, Long> rows = new LinkedHashMap<>();
            long[] leads = coverage(h, "leads");
            long[] contacts = coverage(h, "contacts");
            long[] companies = coverage(h, "companies");
            long[] tasks = coverage(h, "tasks");
            rows.put(
                    "leads",
                    truth.leads().live().stream()
                            .filter(l -> inside(l.createdAt(), leads))
                            .count());
            rows.put(
                    "contacts",
                    truth.contacts().live().stream()
                            .filter(c -> inside(c.createdAt(), contacts))
                            .count());
            rows.put(
                    "companies",
                    truth.companies().live().stream()
                            .filter(c -> inside(c.createdAt(), companies))
                            .count());
            rows.put(
                    "tasks",
                    truth.tasks().live().stream()
                            .filter(t -> inside(t.createdAt(), tasks))
                            .count());
            long pages = rows.values().stream()
                    .mapToLong(n -> Math.max(1, (n + 249) / 250))
                    .sum();

            h.sandbox.requests().clear();
            ReconcileJob.Result clean = h.reconcile(ReconcileJob.Options.defaults());
            long requests = h.sandbox.requests().snapshot().size();
            System.out.printf("clean lake: %s rows in range, %d list pages, %d requests%n", rows, pages, requests);
            assertEquals(ExitCode.OK, clean.exitCode());
            assertEquals(0, clean.differing(), h.lastOutput);
            assertEquals(
                    0,
                    results(h, clean.runId())
                            .where("kind <> 'period' OR status <> 'ok'")
                            .count());
            assertTrue(
                    requests <= pages + 3,
                    "at most the list pages plus a small constant: " + requests + " for " + pages + " pages: "
                            + h.sandbox.requests().snapshot().stream()
                                    .map(r -> r.target())
                                    .toList());
            assertEquals(requests, clean.requests(), "the run counts every request it makes");

            // After every page served, the sandbox clock moves a second and one change happens.
            List<Runnable> changes = changes(h, truth);
            AtomicInteger made = new AtomicInteger();
            List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
            Runnable tick = () -> {
                h.sandbox.clock().advance(Duration.ofSeconds(1));
                int i = made.getAndIncrement();
                if (i < changes.size()) {
                    try {
                        changes.get(i).run();
                    } catch (RuntimeException e) {
                        failed.add("change " + i + ": " + e);
                    }
                }
            };
            // Every list the check reads, events included (a change lands while they are read too).
            for (String list : List.of(
                    "/api/v4/leads", "/api/v4/contacts", "/api/v4/companies", "/api/v4/tasks", "/api/v4/events")) {
                h.sandbox.faults().mutateAfterPage(list, 0, tick);
            }
            ReconcileJob.Result during = h.reconcile(ReconcileJob.Options.defaults());
            h.sandbox.faults().clear();
            assertEquals(List.of(), failed, "every change applied");
            assertTrue(made.get() >= 10, "changes happened while the lists were read: " + made.get());
            assertEquals(0, during.differing(), "no false mismatch:\n" + h.lastOutput);
            assertEquals(ExitCode.OK, during.exitCode());
            assertTrue(during.excluded() > 0, "keys that changed during the check were left out: " + h.lastOutput);
        }
    }

    /**
     * Retention and the rotation: periods retention removed are not reported, and a range
     * before the cut-off is refused; a budget checks whole periods and the next run goes on.
     */
    @Test
    void periodsRemovedByRetentionAreNotReportedAndABudgetRotates() {
        try (ReconcileHarness h = new ReconcileHarness(dir)) {
            Instant cutoff = Instant.parse("2025-03-01T00:00:00Z");
            Lake lake = h.lake();
            SyncState state = new SyncState(lake, h.account());
            for (String t : List.of("leads", "contacts", "companies", "tasks")) {
                // What retention does: the old rows go, and the cut-off is recorded.
                lake.delta(t)
                        .delete("account_id = " + h.account() + " AND created_at < TIMESTAMP '2025-03-01 00:00:00'");
                state.stage(state.get(t).withRetentionCutoff(cutoff));
            }
            state.flush("retention-test");
            ReconcileJob.Result r = h.reconcile(ReconcileJob.Options.defaults());
            assertEquals(ExitCode.OK, r.exitCode(), h.lastOutput);
            assertEquals(0, r.differing(), h.lastOutput);
            List<String> periods =
                    results(h, r.runId())
                            .where("table_name = 'leads'")
                            .select("period")
                            .distinct()
                            .collectAsList()
                            .stream()
                            .map(x -> x.getString(0))
                            .sorted()
                            .toList();
            assertEquals(List.of("2025-03", "2025-04"), periods);
            assertEquals(cutoff, window(h, r.runId(), "leads")[0], "the judged range starts at the cut-off");
            EtlException refused = assertThrows(
                    EtlException.class,
                    () -> h.reconcile(new ReconcileJob.Options("2025-02-01", null, null, null, null)));
            assertEquals(ExitCode.BAD_CONFIG, refused.exitCode());
            assertTrue(refused.getMessage().contains("retention cut-off"), refused.getMessage());

            // A budget: whole days that fit one scan; the next run starts where this one stopped.
            h.config.put("reconcile.tables", "[leads]");
            h.sandbox.requests().clear();
            ReconcileJob.Result first = h.reconcile(new ReconcileJob.Options(null, null, Granularity.DAY, false, 6L));
            long firstRequests = h.sandbox.requests().snapshot().size();
            assertEquals(ExitCode.OK, first.exitCode(), h.lastOutput);
            assertTrue(firstRequests <= 6, "within the budget: " + firstRequests);
            Instant[] w1 = window(h, first.runId(), "leads");
            assertEquals(cutoff, w1[0]);
            String cursor = cursor(h, "leads");
            assertNotNull(cursor, "the rotation's cursor is recorded");
            assertEquals(w1[1].plusSeconds(1), Instant.parse(cursor));
            ReconcileJob.Result second = h.reconcile(new ReconcileJob.Options(null, null, Granularity.DAY, false, 6L));
            assertEquals(ExitCode.OK, second.exitCode(), h.lastOutput);
            Instant[] w2 = window(h, second.runId(), "leads");
            assertEquals(Instant.parse(cursor), w2[0], "the second run goes on where the first stopped");
            assertEquals(coverage(h, "leads")[1], w2[1].getEpochSecond(), "and reaches the watermark");
            assertNull(cursor(h, "leads"), "the rotation went round: the next run starts over");
        }
    }

    /**
     * Spark buckets rows by the same calendar {@link Periods} splits ranges by: every granularity,
     * two zones (one with DST), each period's first and last second and a grid between.
     */
    @Test
    void sparkLabelsRowsAsThePeriodsSplitTheRange() {
        org.apache.spark.sql.SparkSession spark = io.amocrmetl.testing.SparkTestSession.get();
        long start = Instant.parse("2024-12-20T00:00:00Z").getEpochSecond();
        long end = start + 400L * 86_400;
        for (ZoneId zone : List.of(MOSCOW, ZoneId.of("America/New_York"))) {
            for (Granularity g : Granularity.values()) {
                Periods p = new Periods(zone, g);
                List<Row> instants = new ArrayList<>();
                for (Period period : p.split(start, end)) {
                    instants.add(org.apache.spark.sql.RowFactory.create(ApiSide.ts(period.from())));
                    instants.add(org.apache.spark.sql.RowFactory.create(ApiSide.ts(period.to())));
                }
                for (long t = start; t < end; t += 30_034) {
                    instants.add(org.apache.spark.sql.RowFactory.create(ApiSide.ts(t)));
                }
                Dataset<Row> rows = spark.createDataFrame(
                        instants,
                        new org.apache.spark.sql.types.StructType()
                                .add("created_at", org.apache.spark.sql.types.DataTypes.TimestampType));
                for (Row r : rows.select(
                                org.apache.spark.sql.functions.col("created_at"),
                                org.apache.spark.sql.functions.expr(p.sqlLabel("created_at")))
                        .collectAsList()) {
                    Instant t = r.getTimestamp(0).toInstant();
                    assertEquals(p.label(t), r.getString(1), zone + " " + g + " at " + t);
                }
            }
        }
    }

    // ---- expectations, from ground truth -------------------------------------------------------

    /** The slices ("period/pipeline/status/tag") whose lead count or price sum differ between two truths. */
    static Set<String> differingSlices(GroundTruth a, GroundTruth b, long[] range, ZoneId zone) {
        Map<String, List<BigDecimal>> x = slices(a, range, zone);
        Map<String, List<BigDecimal>> y = slices(b, range, zone);
        Set<String> out = new TreeSet<>();
        Set<String> all = new TreeSet<>(x.keySet());
        all.addAll(y.keySet());
        for (String k : all) {
            List<BigDecimal> p = x.getOrDefault(k, List.of(BigDecimal.ZERO, BigDecimal.ZERO));
            List<BigDecimal> q = y.getOrDefault(k, List.of(BigDecimal.ZERO, BigDecimal.ZERO));
            if (p.get(0).compareTo(q.get(0)) != 0 || p.get(1).compareTo(q.get(1)) != 0) {
                out.add(k);
            }
        }
        return out;
    }

    /** Live leads created in the range per (month in {@code zone}, pipeline, status, tag): [count, sum of price]. */
    static Map<String, List<BigDecimal>> slices(GroundTruth t, long[] range, ZoneId zone) {
        Map<String, List<BigDecimal>> out = new TreeMap<>();
        for (Lead l : t.leads().live()) {
            if (!inside(l.createdAt(), range)) {
                continue;
            }
            String month = YearMonth.from(Instant.ofEpochSecond(l.createdAt()).atZone(zone))
                    .toString();
            BigDecimal price =
                    l.priceWithMinorUnits() != null ? l.priceWithMinorUnits() : BigDecimal.valueOf(l.price());
            Set<Long> tags = l.tags().stream().map(x -> x.id()).collect(Collectors.toCollection(TreeSet::new));
            if (tags.isEmpty()) {
                tags.add(0L);
            }
            for (long tag : tags) {
                out.merge(
                        month + "/" + l.pipelineId() + "/" + l.statusId() + "/" + tag,
                        List.of(BigDecimal.ONE, price),
                        (p, q) -> List.of(p.get(0).add(q.get(0)), p.get(1).add(q.get(1))));
            }
        }
        return out;
    }

    /** The run's slice and key rows are exactly the expected ones, each with {@code status}. */
    static void assertFound(
            ReconcileHarness h, String runId, Set<String> slices, Map<String, Set<String>> keys, String status) {
        Dataset<Row> rows = results(h, runId);
        assertEquals(
                slices,
                new TreeSet<>(rows.where("kind = 'slice'").select("slice").collectAsList().stream()
                        .map(r -> r.getString(0))
                        .toList()),
                "exactly the differing slices\n" + h.lastOutput);
        Map<String, Set<String>> found = new HashMap<>();
        for (Row r :
                rows.where("kind = 'key'").select("table_name", "entity_key").collectAsList()) {
            found.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getString(1));
        }
        assertEquals(keys, found, "exactly the differing keys\n" + h.lastOutput);
        assertEquals(
                List.of(status),
                rows.where("kind <> 'period'").select("status").distinct().collectAsList().stream()
                        .map(r -> r.getString(0))
                        .toList());
    }

    /** Leads, contacts and their child tables equal the expectation from ground truth (the purged lead's deleted_at: when found). */
    static void assertLakeIsGroundTruth(ReconcileHarness h, long purged, long deletedAt) {
        ExpectedLake expected =
                new ExpectedLake(h.sandbox.groundTruth(), ReconcileHarness.GA, ReconcileHarness.REQUEST_ID);
        List<String> failures = new ArrayList<>();
        List<String> tables = new ArrayList<>(List.of("leads", "contacts"));
        Tables.childrenOf("leads").forEach(c -> tables.add(c.name()));
        Tables.childrenOf("contacts").forEach(c -> tables.add(c.name()));
        for (String name : tables) {
            LakeTable t = Tables.get(name);
            List<Map<String, Object>> want = new ArrayList<>();
            for (Map<String, Object> r : expected.table(name)) {
                Map<String, Object> m = new LinkedHashMap<>(r);
                if (name.equals("leads") && Long.valueOf(purged).equals(m.get("id"))) {
                    m.put("deleted_at", deletedAt); // the lists cannot tell when; reconcile records when it found out
                }
                want.add(m);
            }
            try {
                Canonical.assertSameRows(
                        name,
                        t.key(),
                        want,
                        Canonical.rows(h.lake().read(name, h.account()).collectAsList()),
                        Set.of());
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** One change per call, each through the control API as amoCRM would make it (moving updated_at, writing events). */
    static List<Runnable> changes(ReconcileHarness h, GroundTruth truth) {
        AccountData a = h.sandbox.account();
        List<Lead> leads = truth.leads().live().stream()
                .sorted(Comparator.comparingLong(Lead::id))
                .toList();
        List<Contact> contacts = truth.contacts().live().stream()
                .sorted(Comparator.comparingLong(Contact::id))
                .toList();
        List<Task> tasks = truth.tasks().live().stream()
                .sorted(Comparator.comparingLong(Task::id))
                .toList();
        int n = leads.size();
        List<Runnable> out = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            int k = round * 7;
            Lead deleted = leads.get((k * 37 + 11) % n);
            out.add(() -> a.updateLeadPrice(leads.get((k * 37 + 1) % n).id(), 999_000L));
            out.add(() -> a.changeLeadStatus(
                    leads.get((k * 37 + 500) % n).id(), otherStatus(truth, leads.get((k * 37 + 500) % n))));
            out.add(() -> a.delete("leads", deleted.id()));
            out.add(() -> a.renameLead(leads.get((k * 37 + 250) % n).id(), "renamed during the check"));
            out.add(() -> a.addLeadTag(leads.get((k * 37 + 400) % n).id(), "tag during the check"));
            out.add(() -> a.updateContact(
                    contacts.get((k * 13 + 5) % contacts.size()).id(), c -> c.withName("edited during the check")));
            out.add(() -> a.link(
                    leads.get((k * 37 + 100) % n).id(),
                    contacts.get((k * 13 + 700) % contacts.size()).id(),
                    false));
            out.add(() -> a.restore("leads", deleted.id()));
            out.add(() -> a.updateTask(
                    tasks.get((k * 17 + 3) % tasks.size()).id(), t -> t.withText("edited during the check")));
            out.add(() ->
                    a.delete("tasks", tasks.get((k * 17 + 300) % tasks.size()).id()));
            out.add(() -> a.addLead("added during the check", 100));
        }
        return out;
    }

    // ---- lake reads ----------------------------------------------------------------------------

    static Dataset<Row> results(ReconcileHarness h, String runId) {
        return h.lake().read(Tables.RECONCILIATION, h.account()).where("run_id = '" + runId + "'");
    }

    /** [coverage_start, watermark] of a table, epoch seconds. */
    static long[] coverage(ReconcileHarness h, String table) {
        SyncState.Entry e = new SyncState(h.lake(), h.account()).get(table);
        return new long[] {e.coverageStart().getEpochSecond(), e.watermark().getEpochSecond()};
    }

    static String cursor(ReconcileHarness h, String table) {
        return new SyncState(h.lake(), h.account()).get(table).reconcileCursor();
    }

    /** The judged range of a table in a run, from its journal row. */
    static Instant[] window(ReconcileHarness h, String runId, String table) {
        Row r = h.lake()
                .read(Tables.JOURNAL, h.account())
                .where("run_id = '" + runId + "' AND table_name = '" + table + "'")
                .select("window_from", "window_to")
                .first();
        return new Instant[] {r.getTimestamp(0).toInstant(), r.getTimestamp(1).toInstant()};
    }

    static boolean inside(long t, long[] range) {
        return t >= range[0] && t <= range[1];
    }

    static Set<String> ids(long... ids) {
        Set<String> out = new TreeSet<>();
        for (long id : ids) {
            out.add(String.valueOf(id));
        }
        return out;
    }

    /** Another open status of the lead's pipeline. */
    static long otherStatus(GroundTruth t, Lead l) {
        Pipeline p = t.pipelines().stream()
                .filter(x -> x.id() == l.pipelineId())
                .findFirst()
                .orElseThrow();
        for (Status s : p.statuses()) {
            if (s.id() != l.statusId() && s.type() != 1 && s.id() != 142 && s.id() != 143) {
                return s.id();
            }
        }
        throw new IllegalStateException("no other status in pipeline " + p.id());
    }
}
