package io.amocrmetl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.testing.SandboxConfig;
import io.amocrmetl.testing.SparkTestSession;
import io.amocrmetl.testing.ThreadStdout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import picocli.CommandLine;

/** The product's command line in-process: exit codes and one-line errors (docs/command-line.md). */
// The sql and journal commands register temporary views by table name (docs/testing.md, "CI budget").
@ResourceLock(SparkTestSession.TEMP_VIEWS)
class CommandLineIT {
    @TempDir
    Path dir;

    static int run(StringWriter err, String... args) {
        CommandLine cl = EtlMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    /** A bad key exits 2 with one line naming it, before anything else runs. */
    @Test
    void aBadKeyExits2WithOneLine() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "ingest", "--set", "amocrm.rate-limit.requests-per-second=9"));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(
                err.toString().startsWith("amocrm-etl: config key 'amocrm.rate-limit.requests-per-second'"),
                err.toString());
        StringWriter unknown = new StringWriter();
        assertEquals(2, run(unknown, "ingest", "--set", "tables.leads.enabeld=true"));
        assertTrue(unknown.toString().contains("unknown config key 'tables.leads.enabeld'"), unknown.toString());
    }

    @Test
    void anUnknownOptionExits2() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "ingest", "--frm", "2025-01-01"));
        assertTrue(err.toString().contains("--frm"), err.toString());
    }

    @Test
    void ingestWithoutAnAccountUrlExits2() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "ingest", "--set", "amocrm.auth.long-lived-token=x"));
        assertTrue(err.toString().contains("amocrm.base-url"), err.toString());
    }

    /** Runs a command with System.out captured (the commands print their results there). */
    static String stdout(StringWriter err, int[] exit, String... args) {
        ThreadStdout.Captured<Integer> run = ThreadStdout.capture(() -> run(err, args));
        exit[0] = run.value();
        return run.out();
    }

    /** ingest, then sql (one JSON object per row, every table a view), journal and migrate; a newer lake is refused. */
    @Test
    void ingestSqlJournalMigrateAndTheLayoutGuard() throws Exception {
        SparkTestSession.get();
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(77).withLeads(30))) {
            List<String> set = new ArrayList<>();
            Map<String, String> cfg = new java.util.LinkedHashMap<>(SandboxConfig.fast(sandbox, dir));
            cfg.put("lake.path", dir.resolve("lake").toString());
            cfg.put("history.initial-days", "400");
            cfg.put("amocrm.custom-fields.ga-client-id", "no such field");
            cfg.forEach((k, v) -> {
                set.add("--set");
                set.add(k + "=" + v);
            });
            int[] exit = new int[1];
            StringWriter err = new StringWriter();
            String ingest = stdout(err, exit, concat(List.of("ingest", "--tables", "leads,contacts"), set));
            assertEquals(0, exit[0], err.toString());
            assertTrue(ingest.contains("leads") && ingest.contains("done:"), ingest);
            assertTrue(
                    ingest.contains("warning: amocrm.custom-fields.ga-client-id"),
                    "a mapping that does not resolve warns");

            String sql = stdout(err, exit, concat(List.of("sql", "SELECT count(*) AS n FROM leads"), set));
            assertEquals(0, exit[0], err.toString());
            assertEquals("{\"n\":" + sandbox.groundTruth().leads().live().size() + "}", sql.strip());
            String lines =
                    stdout(err, exit, concat(List.of("sql", "SELECT id, name FROM leads ORDER BY id LIMIT 3"), set));
            assertEquals(3, lines.strip().lines().count());
            assertTrue(lines.lines().allMatch(l -> l.startsWith("{\"id\":")), lines);
            StringWriter bad = new StringWriter();
            stdout(bad, exit, concat(List.of("sql", "SELECT nope FROM leads"), set));
            assertEquals(2, exit[0]);
            assertTrue(bad.toString().contains("nope"), bad.toString());

            String journal = stdout(err, exit, concat(List.of("journal"), set));
            assertEquals(0, exit[0], err.toString());
            assertTrue(journal.contains("leads") && journal.contains("ingest") && journal.contains("ok"), journal);
            String details = SparkTestSession.get()
                    .read()
                    .format("delta")
                    .load(dir.resolve("lake").resolve(Tables.JOURNAL).toString())
                    .where("table_name = 'leads'")
                    .select("details")
                    .first()
                    .getString(0);
            assertTrue(details.contains("ga-client-id"), "the journal warns too: " + details);

            String migrate = stdout(err, exit, concat(List.of("migrate", "--dry-run"), set));
            assertEquals(0, exit[0]);
            assertTrue(migrate.contains("nothing to migrate"), migrate);

            // Blocked by amoCRM (a 403 block recorded by any process): ingest sends nothing and exits 4.
            Path state = Path.of(cfg.get("amocrm.auth.token-store")).getParent();
            java.time.Instant until = java.time.Instant.now().plusSeconds(1800);
            new io.amocrmetl.api.BlockState(state).block(until);
            sandbox.requests().clear();
            StringWriter blocked = new StringWriter();
            stdout(blocked, exit, concat(List.of("ingest", "--tables", "leads"), set));
            assertEquals(4, exit[0], blocked.toString());
            assertEquals(0, sandbox.requests().snapshot().size(), "no request while blocked");
            assertEquals(1, blocked.toString().strip().lines().count(), "one line: " + blocked);
            assertTrue(
                    blocked.toString().contains(until.toString().substring(0, 16)),
                    "it names blocked_until: " + blocked);
            // Mirrored into the lake: a run of another host (state and host folders of its own) sees
            // it before its first request (docs/api-client.md, "Blocks and 429s on a cluster").
            Path lakeBlock = dir.resolve("lake").resolve("_leases").resolve("amocrm_blocked_until");
            assertTrue(java.nio.file.Files.exists(lakeBlock), "the block is recorded in the lake");
            List<String> elsewhere = new ArrayList<>(set);
            elsewhere.addAll(List.of(
                    "--set",
                    "amocrm.auth.token-store=" + dir.resolve("other/state/tokens.json"),
                    "--set",
                    "amocrm.rate-limit.host-dir=" + dir.resolve("other/host")));
            StringWriter otherHost = new StringWriter();
            stdout(otherHost, exit, concat(List.of("ingest", "--tables", "leads"), elsewhere));
            assertEquals(4, exit[0], otherHost.toString());
            assertEquals(0, sandbox.requests().snapshot().size(), "no request from another host either");
            assertTrue(otherHost.toString().contains(until.toString().substring(0, 16)), otherHost.toString());
            java.nio.file.Files.delete(new io.amocrmetl.api.BlockState(state).file());
            java.nio.file.Files.delete(lakeBlock);

            // A block met inside a Spark task (reading the leads pages) still exits 4, in amoCRM's
            // words rather than Spark's (docs/command-line.md, "Exit codes").
            sandbox.faults().block("/api/v4/leads", 1);
            StringWriter midRead = new StringWriter();
            stdout(midRead, exit, concat(List.of("ingest", "--tables", "leads"), set));
            sandbox.faults().clear();
            assertEquals(4, exit[0], midRead.toString());
            assertTrue(midRead.toString().startsWith("amocrm-etl: GET /api/v4/leads"), midRead.toString());
            assertTrue(midRead.toString().contains("amoCRM blocked this caller"), midRead.toString());
            assertEquals(1, midRead.toString().strip().lines().count(), "one line: " + midRead);
            // Recorded for the account and, with the default scope host, for every account of the host.
            java.nio.file.Files.delete(new io.amocrmetl.api.BlockState(state).file());
            java.nio.file.Files.delete(Path.of(cfg.get("amocrm.rate-limit.host-dir"), "blocked_until"));
            java.nio.file.Files.delete(lakeBlock); // the driver mirrored the executor's block there too

            // A lake written by a newer binary is refused, naming the versions.
            SparkTestSession.get()
                    .sql("UPDATE delta.`" + dir.resolve("lake").resolve(Tables.LAKE_META)
                            + "` SET value = '99' WHERE name = 'layout_version'");
            StringWriter newer = new StringWriter();
            stdout(newer, exit, concat(List.of("ingest", "--tables", "leads"), set));
            assertEquals(2, exit[0]);
            assertTrue(newer.toString().contains("layout version 99"), newer.toString());
        }
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out.toArray(new String[0]);
    }
}
