package io.amocrmetl.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.api.RateLimiter;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.testing.SandboxConfig;
import io.amocrmetl.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitions reading at once share the account's budget:
 * at most 7 request starts in any sliding second, and no 429, with four partitions.
 */
class RateSharesIT {
    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    /**
     * Four partitions through Spark, in the driver's JVM: they join its one limiter (local[2] runs
     * two at once; the cluster test runs them in separate executors).
     */
    @Test
    void fourPartitionsThroughSparkStayWithinTheBudget() {
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(23).withLeads(1500))) {
            sandbox.limits().requestsPerSecond = 7;
            sandbox.limits().retryAfterSeconds = 1;
            long now = sandbox.clock().nowSeconds();
            var df = SparkTestSession.get()
                    .read()
                    .format("amocrm")
                    .option("entity", "tasks")
                    .options(SandboxConfig.of(sandbox, dir))
                    .option("amocrm.rate-limit.requests-per-second", "7")
                    .option("from", String.valueOf(now - 400L * 86400))
                    .option("to", String.valueOf(now))
                    .option("window", "20d")
                    .option("partitions", "4")
                    .load();
            long rows = df.count();
            assertEquals(4, AmoSourceIT.plannedPartitions(df).length);
            List<RequestRecord> log = sandbox.requests().snapshot();
            assertTrue(log.size() > 20, "a read of many requests: " + log.size());
            assertTrue(rows > 0);
            assertTrue(
                    RequestLog.busiestWindow(log, SECOND) <= 7,
                    "busiest second: " + RequestLog.busiestWindow(log, SECOND));
            assertEquals(0, sandbox.limits().limitedCount(), "no 429");
        }
    }

    /**
     * Four partitions as executors read them, each in a JVM without the driver's limiter (here:
     * four threads, and an account URL no limiter of this JVM knows): each uses its own share.
     */
    @Test
    void executorSharesSumToTheBudget() throws Exception {
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(29).withLeads(1500))) {
            sandbox.limits().requestsPerSecond = 7;
            sandbox.limits().retryAfterSeconds = 1;
            String url = "http://localhost:" + sandbox.port();
            assertNull(RateLimiter.existing(url), "no limiter of this JVM serves this URL");
            long now = sandbox.clock().nowSeconds();
            Pushdown p = new Pushdown();
            p.cursor(now - 400L * 86400, now);
            AccountContext account = new AccountContext(
                    sandbox.groundTruth().account().id(), true, "dynamic", List.of(), Instant.ofEpochSecond(now));
            ReadPlanner.Plan plan =
                    ReadPlanner.plan(Entities.get("tasks"), p, account, List.of(), 20L * 86400, 7, 4, null);
            assertArrayEquals(new int[] {2, 2, 2, 1}, plan.shares());
            ClientSettings settings = ClientSettings.of(url, 7, dir.resolve("state"));
            StructType schema = Entities.get("tasks").schema();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Long>> rows = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                AmoPartition part = new AmoPartition(
                        "tasks",
                        schema,
                        schema.size(),
                        plan.partitions().get(i),
                        Connection.of(settings, sandbox.settings().token(), plan.shares()[i]),
                        account.accountId());
                rows.add(pool.submit(() -> {
                    long n = 0;
                    try (AmoPartitionReader r = new AmoPartitionReader(part)) {
                        while (r.next()) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : rows) {
                total += f.get();
            }
            pool.shutdown();
            assertEquals(
                    sandbox.groundTruth().tasks().live().stream()
                            .filter(t -> t.updatedAt() <= now)
                            .count(),
                    total);
            assertNull(RateLimiter.existing(url), "the readers used their shares, not a JVM limiter");
            List<RequestRecord> log = sandbox.requests().snapshot();
            assertTrue(log.size() > 20, "a read of many requests: " + log.size());
            assertTrue(
                    RequestLog.busiestWindow(log, SECOND) <= 7,
                    "busiest second: " + RequestLog.busiestWindow(log, SECOND));
            assertEquals(0, sandbox.limits().limitedCount(), "no 429");
        }
    }

    /**
     * On a cluster each scan's readers get fresh limiters in their executor JVMs, with no history of
     * the scan before (docs/api-client.md#on-a-cluster). Two scans back to back, each with the whole
     * budget as its one partition's share, must not put both scans' requests in one second.
     */
    @Test
    void backToBackScansWithFreshLimitersStayWithinTheBudget() throws Exception {
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(34).withLeads(10))) {
            sandbox.limits().requestsPerSecond = 6;
            String url = "http://localhost:" + sandbox.port();
            assertNull(RateLimiter.existing(url), "no limiter of this JVM serves this URL");
            ClientSettings settings = ClientSettings.of(url, 6, dir.resolve("state"));
            for (int scan = 0; scan < 2; scan++) {
                // Planned after the scan before has finished, as the driver plans the next read.
                var client =
                        Connection.of(settings, sandbox.settings().token(), 6).client();
                for (int i = 0; i < 6; i++) {
                    client.getObject("/api/v4/account");
                }
            }
            List<RequestRecord> log = sandbox.requests().snapshot();
            assertEquals(12, log.size());
            assertTrue(
                    RequestLog.busiestWindow(log, SECOND) <= 6,
                    "busiest second: " + RequestLog.busiestWindow(log, SECOND));
            assertEquals(0, sandbox.limits().limitedCount(), "no 429");
        }
    }

    @Test
    void optionsAreCheckedWithClearMessages() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class,
                () -> SparkTestSession.get()
                        .read()
                        .format("amocrm")
                        .option("entity", "leads")
                        .option("from", "last tuesday")
                        .load()
                        .count());
        assertTrue(AmoSourceIT.chain(e).contains("option 'from' must be"), AmoSourceIT.chain(e));
    }
}
