package io.amocrmetl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.testing.LakeTemplate;
import io.amocrmetl.testing.SandboxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running on a cluster (docs/clusters.md): the built jar, submitted with
 * {@code spark-submit --master spark://127.0.0.1:PORT} to a standalone cluster of a master and two
 * workers (1 core, 1g each), each a JVM of its own. The executors are separate processes, so the
 * reader's partitions, their rate shares and the driver's token cross process boundaries; the
 * sandbox (in this JVM, 7 requests/s as amoCRM) sees them all.
 */
class ClusterSlowIT {
    static final long SECOND = 1_000_000_000L;
    /** The product's default rate (amocrm.rate-limit.requests-per-second). */
    static final int BUDGET = 6;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void ingestOnAStandaloneClusterOfTwoWorkers() throws Exception {
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(37).withLeads(800))) {
            sandbox.limits().requestsPerSecond = 7;
            sandbox.limits().retryAfterSeconds = 1;
            Map<String, String> config = new LinkedHashMap<>(SandboxConfig.of(sandbox, dir));
            config.put("lake.path", dir.resolve("lake").toString());
            LakeTemplate.copyTo(dir.resolve("lake"));
            config.put("history.initial-days", "400");
            config.put("ingest.margin", "0s");
            config.put("ingest.window", "401d"); // one window: the first run reads 400 days and a second
            config.put("amocrm.custom-fields.ga-client-id", LakeCheck.GA);
            config.put("amocrm.custom-fields.request-id", LakeCheck.REQUEST_ID);
            // Notes come from four endpoints (of leads, contacts, companies, customers): a read of four partitions.
            config.put("tables.notes.enabled", "true");
            sandbox.clock().advance(Duration.ofSeconds(2));

            SparkInstall spark = SparkInstall.create(true);
            Path events = Files.createDirectories(dir.resolve("events"));
            Path log = dir.resolve("driver.log");
            long driverPid;
            Set<Long> executorPids;
            List<RequestRecord> requests;
            try (StandaloneCluster cluster =
                    StandaloneCluster.start(spark, dir.resolve("cluster"), 2, "1g", Duration.ofMinutes(5))) {
                List<String> args = submitArgs(cluster, events, "spark.default.parallelism=4");
                config.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
                ProcessBuilder submit = new ProcessBuilder(spark.sparkSubmit(args))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                spark.environment(submit);
                Process driver = submit.start();
                try {
                    assertTrue(driver.waitFor(20, TimeUnit.MINUTES), "spark-submit did not finish; log in " + log);
                } finally {
                    driver.descendants().forEach(ProcessHandle::destroyForcibly);
                    driver.destroyForcibly();
                }
                String out = Files.readString(log, StandardCharsets.UTF_8);
                System.out.println(out.lines()
                        .filter(l -> l.startsWith("ingest ") || l.startsWith("  "))
                        .reduce((a, b) -> a + "\n" + b)
                        .orElse(""));
                assertEquals(0, driver.exitValue(), out);
                assertTrue(out.contains(" done: "), out);
                driverPid = driver.pid();
                executorPids = cluster.executorPids();
                requests = sandbox.requests().snapshot();
                blockMidReadStopsEveryAttempt(sandbox, spark, cluster, config);
            }
            assertTrue(executorPids.size() >= 2, "two executor processes: " + executorPids);
            assertFalse(executorPids.contains(driverPid));

            // The reader's partitions: the notes read planned 4, and the executors ran the reads.
            List<EventLog.Scan> scans = EventLog.scans(events);
            EventLog.Scan notes = scans.stream()
                    .filter(s -> s.entity().equals("notes"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(4, notes.tasks(), "the notes read in 4 partitions: " + scans);
            Set<String> readers = new TreeSet<>();
            scans.forEach(s -> readers.addAll(s.executors()));
            assertEquals(Set.of("0", "1"), readers, "both executors read: " + scans);

            // The account's budget held across the processes.
            int busiest = RequestLog.busiestWindow(requests, SECOND);
            System.out.printf(
                    "cluster ingest: %d requests, busiest second %d, %d executors %s, driver %d, scans %s%n",
                    requests.size(), busiest, executorPids.size(), executorPids, driverPid, scans);
            assertTrue(requests.size() > 30, "a read of many requests: " + requests.size());
            assertTrue(busiest <= BUDGET, "busiest second: " + busiest + " requests, budget " + BUDGET);
            assertEquals(0, sandbox.limits().limitedCount(), "no 429");

            EtlConfig etl = EtlConfig.load(null, config);
            LakeCheck.assertLake(sandbox, etl);

            // The journal names the executors that read each table: executor processes, not the driver.
            Set<Long> journalled = new TreeSet<>();
            for (Row r : LakeCheck.journal(sandbox, etl)) {
                if (!r.isNullAt(4)) {
                    for (String pid : r.getString(4).split(",")) {
                        journalled.add(Long.parseLong(pid.trim()));
                    }
                }
            }
            assertTrue(journalled.size() >= 2, "executor_pids of two executors in the journal: " + journalled);
            assertTrue(executorPids.containsAll(journalled), "journal " + journalled + ", executors " + executorPids);
            assertFalse(journalled.contains(driverPid), "the driver (" + driverPid + ") read nothing: " + journalled);
        }
    }

    /** spark-submit's arguments up to the command: the cluster, its event log and one conf of the run's own. */
    private static List<String> submitArgs(StandaloneCluster cluster, Path events, String conf) throws Exception {
        return new ArrayList<>(List.of(
                "--master",
                cluster.url(),
                "--conf",
                "spark.executor.extraJavaOptions=" + String.join(" ", SparkInstall.jvmFlags()),
                // Spark's parallelism is what the reader plans partitions by (at most the budget's shares).
                "--conf",
                conf,
                "--conf",
                "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf",
                "spark.sql.shuffle.partitions=4",
                "--conf",
                "spark.databricks.delta.snapshotPartitions=2",
                "--conf",
                "spark.locality.wait=0",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.driver.host=127.0.0.1",
                // A cluster's default: a failed task is tried 4 times, on any executor.
                "--conf",
                "spark.task.maxFailures=4",
                "--conf",
                "spark.eventLog.enabled=true",
                "--conf",
                "spark.eventLog.dir=" + events.toUri(),
                "--conf",
                "spark.eventLog.compress=false",
                "--conf",
                "spark.eventLog.rolling.enabled=false",
                "--class",
                "io.amocrmetl.cli.EtlMain",
                SparkInstall.applicationJar().toString(),
                "ingest"));
    }

    /**
     * 429s and then amoCRM's block page met by an executor in the middle of a read: the block is
     * recorded in the state and host folders, Spark's retries of the task (on either executor) and
     * the driver send nothing more, and the run exits 4 (docs/api-client.md, "Blocks and 429s on a
     * cluster"). One partition at a time, so the block answer is the only request in flight and
     * "nothing after it" is exact.
     */
    private void blockMidReadStopsEveryAttempt(
            Sandbox sandbox, SparkInstall spark, StandaloneCluster cluster, Map<String, String> first)
            throws Exception {
        Map<String, String> config = new LinkedHashMap<>(first);
        config.put("lake.path", dir.resolve("lake2").toString());
        LakeTemplate.copyTo(dir.resolve("lake2"));
        String notes = "/api/v4/leads/notes";
        sandbox.faults().failNth(notes, 1, 429).failNth(notes, 2, 429).block(notes, 3);
        sandbox.requests().clear();
        Path events = Files.createDirectories(dir.resolve("events2"));
        Path log = dir.resolve("driver2.log");
        List<String> args = submitArgs(cluster, events, "spark.default.parallelism=1");
        config.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        ProcessBuilder submit = new ProcessBuilder(spark.sparkSubmit(args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        spark.environment(submit);
        long started = System.nanoTime();
        Process driver = submit.start();
        try {
            assertTrue(driver.waitFor(10, TimeUnit.MINUTES), "spark-submit did not finish; log in " + log);
        } finally {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
        }
        sandbox.faults().clear();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(4, driver.exitValue(), out);
        assertTrue(out.contains("failed 4 times"), "Spark tried the task 4 times: " + out);

        List<RequestRecord> requests = sandbox.requests().snapshot();
        List<String> notesAnswers = requests.stream()
                .filter(r -> r.target().startsWith(notes + "?") || r.target().equals(notes))
                .map(r -> String.valueOf(r.status()))
                .toList();
        assertEquals(List.of("429", "429", "403"), notesAnswers, "the notes read: " + notesAnswers);
        RequestRecord last = requests.get(requests.size() - 1);
        assertEquals(403, last.status(), "nothing reached the sandbox after the block: " + requests);
        int busiest = RequestLog.busiestWindow(requests, SECOND);
        System.out.printf(
                "cluster block mid-read: exit 4 after %d s, %d requests, busiest second %d%n",
                (System.nanoTime() - started) / SECOND, requests.size(), busiest);
        assertTrue(busiest <= BUDGET, "busiest second: " + busiest + " requests, budget " + BUDGET);
        // Recorded where the next run looks, whichever account or process it is (host scope).
        assertTrue(
                Files.exists(Path.of(config.get("amocrm.rate-limit.host-dir")).resolve("blocked_until")));
    }
}
