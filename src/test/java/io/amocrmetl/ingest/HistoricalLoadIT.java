package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.testing.ExpectedLake;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Historical loads and budgets (docs/historical-loads.md): a 6-month load equals
 * the expectation for that period and records its coverage; a budget stops a run at a window
 * boundary (exit 6, "partial" in the journal) and the next run finishes the work.
 */
class HistoricalLoadIT {
    @TempDir
    Path dir;

    static LakeHarness harness(Path dir, long seed) {
        LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(seed).withLeads(200), dir);
        h.config.put("history.initial-days", "2");
        // Small windows, so a historical load takes several and each commits on its own.
        h.config.put("ingest.window", "14d");
        h.config.put("ingest.window-rows", "80");
        h.config.put("tables.unsorted.enabled", "false");
        return h;
    }

    /** The expected lake restricted to a period: rows whose cursor is at or after {@code from}, and their children. */
    static Map<String, Predicate<Map<String, Object>>> outside(LakeHarness h, ExpectedLake expected, Instant from) {
        long f = from.getEpochSecond();
        Map<String, Predicate<Map<String, Object>>> skip = new HashMap<>();
        for (String e : List.of("leads", "contacts", "companies", "tasks")) {
            Set<Object> kept = new HashSet<>();
            expected.table(e).stream()
                    .filter(r -> (Long) r.get("updated_at") >= f)
                    .forEach(r -> kept.add(r.get("id")));
            skip.put(e, r -> !kept.contains(r.get("id")));
            for (LakeTable child : Tables.childrenOf(e)) {
                skip.put(child.name(), r -> !kept.contains(r.get(child.parentKey())));
            }
        }
        skip.put(Tables.LEAD_STATUS_HISTORY, r -> (Long) r.get("changed_at") < f);
        return skip;
    }

    /** A 6-month historical load equals the expectation for the period, with its coverage. */
    @Test
    void aSixMonthLoadEqualsThePeriodAndRecordsItsCoverage() {
        try (LakeHarness h = harness(dir, 61)) {
            h.run(); // the last 2 days
            long account = h.sandbox.groundTruth().account().id();
            Instant watermark = coverage(h, "leads")[1];
            Instant from = h.sandbox.clock().now().minus(Duration.ofDays(182));
            IngestJob.Result r = h.run(new IngestJob.Options(null, from, null, false, null, null));
            assertNull(r.partial());
            assertTrue(
                    h.lastOutput.contains("estimate") && h.lastOutput.contains("requests/s"),
                    "an estimate before, progress during: " + h.lastOutput);
            // Progress counts windows; a commit may hold several (small windows wait for the next).
            java.util.regex.Matcher windowsDone =
                    java.util.regex.Pattern.compile("leads: window (\\d+)").matcher(h.lastOutput);
            int most = 0;
            while (windowsDone.find()) {
                most = Math.max(most, Integer.parseInt(windowsDone.group(1)));
            }
            assertTrue(most >= 3, "several windows: " + h.lastOutput);
            // The run's summary counts each window once: its leads add up to the journal's row.
            long journalLeads = h.lake()
                    .read(Tables.JOURNAL, account)
                    .where("run_id = '" + r.runId() + "' AND table_name = 'leads'")
                    .selectExpr("sum(rows_read)")
                    .first()
                    .getLong(0);
            assertEquals(
                    journalLeads,
                    r.entries().stream()
                            .filter(e -> e.table.equals("leads"))
                            .mapToLong(e -> e.rowsRead)
                            .sum());
            assertTrue(journalLeads > 0);
            ExpectedLake expected = new ExpectedLake(h.sandbox.groundTruth(), LakeHarness.GA, LakeHarness.REQUEST_ID);
            h.assertLake(expected, outside(h, expected, from));
            // The comparison above leaves out rows before the period on both sides; none were read.
            long floor = from.getEpochSecond() - 1;
            for (String t : List.of("leads", "contacts", "companies", "tasks")) {
                long before = h.lake()
                        .read(t, account)
                        .where("unix_timestamp(updated_at) < " + floor)
                        .count();
                assertEquals(0, before, t + ": no row from before the period (updated_at < " + from + ")");
            }
            for (String t : List.of("leads", "contacts", "companies", "tasks", Tables.LEAD_STATUS_HISTORY)) {
                Instant[] c = coverage(h, t);
                assertEquals(
                        from.getEpochSecond(), c[0].getEpochSecond(), t + ": coverage starts where the load began");
                assertTrue(!c[1].isBefore(watermark), t + ": the watermark never moves back");
            }
            // Nothing left: a second identical load makes no request for entity tables.
            h.sandbox.requests().clear();
            h.run(new IngestJob.Options(null, from, null, false, null, null));
            assertEquals(
                    0,
                    h.sandbox.requests().snapshot().stream()
                            .filter(x -> x.path().equals("/api/v4/leads"))
                            .count());
            assertTrue(h.lake().read(Tables.SYNC_STATE, account).count() > 0);
        }
    }

    /** A --max-requests budget stops with exit 6 and "partial"; the next run finishes, and the lake is right. */
    @Test
    void aBudgetStopsAtAWindowBoundaryAndTheNextRunResumes() {
        try (LakeHarness h = harness(dir, 62)) {
            h.run();
            Instant from = h.sandbox.clock().now().minus(Duration.ofDays(300));
            Instant before = coverage(h, "leads")[0];
            IngestJob.Result partial = h.run(new IngestJob.Options(null, from, null, false, 26L, null));
            assertNotNull(partial.partial(), "the budget ran out");
            assertEquals(ExitCode.PARTIAL, partial.exitCode());
            assertTrue(
                    h.lastOutput.contains("stopped early") && h.lastOutput.contains("--max-requests 26"), h.lastOutput);
            long account = h.sandbox.groundTruth().account().id();
            List<Row> journal = h.lake()
                    .read(Tables.JOURNAL, account)
                    .where("run_id = '" + partial.runId() + "' AND status = 'partial'")
                    .collectAsList();
            assertTrue(!journal.isEmpty(), "the journal records partial");
            Instant leads = coverage(h, "leads")[0];
            Instant tasks = coverage(h, "tasks")[0];
            assertTrue(leads.isBefore(before), "committed windows extended the coverage: " + before + " -> " + leads);
            assertTrue(tasks.isAfter(from), "a table the budget stopped is not done: " + tasks);

            IngestJob.Result rest = h.run(new IngestJob.Options(null, from, null, false, null, null));
            assertNull(rest.partial());
            ExpectedLake expected = new ExpectedLake(h.sandbox.groundTruth(), LakeHarness.GA, LakeHarness.REQUEST_ID);
            h.assertLake(expected, outside(h, expected, from));
            assertEquals(from.getEpochSecond(), coverage(h, "leads")[0].getEpochSecond());
        }
    }

    /**
     * A long load survives an access token that expires mid-load (OAuth): the driver refreshes and
     * the window is read again, and the lake is still right.
     */
    @Test
    void anAccessTokenExpiringMidLoadIsRefreshedOnTheDriver() throws Exception {
        try (LakeHarness h = harness(dir, 63)) {
            h.config.remove("amocrm.auth.long-lived-token");
            h.config.put("amocrm.auth.client-id", io.amocrmetl.sandbox.Sandbox.CLIENT_ID);
            h.config.put("amocrm.auth.client-secret", io.amocrmetl.sandbox.Sandbox.CLIENT_SECRET);
            h.config.put("amocrm.auth.redirect-uri", io.amocrmetl.sandbox.Sandbox.REDIRECT_URI);
            connect(h);
            h.run();
            Instant from = h.sandbox.clock().now().minus(Duration.ofDays(150));
            // The tokens expire on the server after the 3rd leads page, in the middle of the load.
            h.sandbox.faults().mutateAfterPage("/api/v4/leads", 3, h.sandbox.oauth()::expireAccessTokens);
            h.sandbox.requests().clear();
            IngestJob.Result r = h.run(new IngestJob.Options(null, from, null, false, null, null));
            h.sandbox.faults().clear();
            assertNull(r.partial());
            List<String> log = h.sandbox.requests().snapshot().stream()
                    .map(x -> x.method() + " " + x.path() + " " + x.status())
                    .toList();
            int rejected = java.util.stream.IntStream.range(0, log.size())
                    .filter(i -> log.get(i).endsWith(" 401"))
                    .findFirst()
                    .orElse(-1);
            assertTrue(rejected >= 0, "a read was rejected: " + log);
            assertTrue(
                    log.subList(rejected, log.size()).contains("POST /oauth2/access_token 200"),
                    "then refreshed: " + log);
            assertTrue(h.lastOutput.contains("refreshing and reading again"), h.lastOutput);
            assertEquals(1, h.sandbox.oauth().refreshCount());
            ExpectedLake expected = new ExpectedLake(h.sandbox.groundTruth(), LakeHarness.GA, LakeHarness.REQUEST_ID);
            h.assertLake(expected, outside(h, expected, from));
        }
    }

    /** As `auth exchange` does: a code grant, the pair in the token store. */
    static void connect(LakeHarness h) throws Exception {
        var grant = io.amocrmetl.testing.SandboxOAuth.codeGrant(h.sandbox);
        String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(grant);
        var resp = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(h.sandbox.baseUrl() + "/oauth2/access_token"))
                                .header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode(), resp.body());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(resp.body());
        new io.amocrmetl.api.TokenStore(Path.of(h.config.get("amocrm.auth.token-store")))
                .write(new io.amocrmetl.api.TokenPair(
                        json.path("access_token").asText(),
                                json.path("refresh_token").asText(),
                        Instant.now().plusSeconds(json.path("expires_in").asLong()), Instant.now()));
    }

    /** [coverage_start, watermark] of a table. */
    static Instant[] coverage(LakeHarness h, String table) {
        Row r = h.lake()
                .read(Tables.SYNC_STATE, h.sandbox.groundTruth().account().id())
                .where("table_name = '" + table + "'")
                .select("coverage_start", "watermark")
                .first();
        return new Instant[] {r.getTimestamp(0).toInstant(), r.getTimestamp(1).toInstant()};
    }
}
