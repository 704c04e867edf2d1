package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.Faults;
import io.amocrmetl.testing.ChildJvm;
import io.amocrmetl.testing.ExpectedLake;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per account (docs/lakehouse.md, "One writer per account"), across processes: while an
 * ingest holds the account (held by the sandbox at its leads request), a second ingest in another
 * JVM exits 7 naming the holder, or with {@code --wait} waits and then runs; a holder killed with
 * {@code kill -9} blocks until its lease expires, and the next run then proceeds. The lake ends
 * equal to the account, every key once.
 */
class AccountLeaseSlowIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aSecondIngestOfTheAccountExitsBusyOrWaitsForTheFirst() throws Exception {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(91).withLeads(30), dir)) {
            // The first run waits in its leads request while two JVMs start: give that request time.
            h.config.put("amocrm.http.read-timeout", "10m");
            h.config.put("tables.unsorted.enabled", "false");
            Faults.Hold hold = h.sandbox.faults().hold("/api/v4/leads", 1);
            CompletableFuture<IngestJob.Result> first = CompletableFuture.supplyAsync(h::run);
            assertTrue(hold.awaitHeld(3, TimeUnit.MINUTES), "the first ingest reached its leads request");
            Path lease = dir.resolve("lake/_leases/account_id="
                    + h.sandbox.groundTruth().account().id() + ".json");
            assertTrue(Files.exists(lease), "the first ingest holds the lease");

            Path busyLog = dir.resolve("busy.log");
            Process busy = ChildJvm.etl(busyLog, h.config, Map.of(), "ingest");
            assertTrue(busy.waitFor(5, TimeUnit.MINUTES), output(busyLog));
            assertEquals(ExitCode.BUSY.code, busy.exitValue(), output(busyLog));
            assertTrue(
                    output(busyLog).contains("is busy: ingest run")
                            && output(busyLog)
                                    .contains("(pid " + ProcessHandle.current().pid() + ")"),
                    "names the holder: " + output(busyLog));

            Path waitLog = dir.resolve("wait.log");
            Process waiting = ChildJvm.etl(waitLog, h.config, Map.of(), "ingest", "--wait", "5");
            while (!output(waitLog).contains("waiting for ingest run")) {
                assertTrue(waiting.isAlive(), "the waiting run is still waiting: " + output(waitLog));
                waiting.waitFor(200, TimeUnit.MILLISECONDS);
            }
            hold.release();
            assertNull(first.get(5, TimeUnit.MINUTES).partial());
            assertTrue(waiting.waitFor(5, TimeUnit.MINUTES), output(waitLog));
            assertEquals(0, waiting.exitValue(), output(waitLog));
            assertFalse(Files.exists(lease), "released at the end");
            h.sandbox.faults().clear();
            h.assertLake(expected(h), Map.of());
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aHolderKilledWithKill9BlocksUntilItsLeaseExpires() throws Exception {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(92).withLeads(30), dir)) {
            h.config.put("lake.lease-expiry", "20s");
            h.config.put("tables.unsorted.enabled", "false");
            Faults.Hold hold = h.sandbox.faults().hold("/api/v4/leads", 1);
            Path log = dir.resolve("killed.log");
            Process holder = ChildJvm.etl(log, h.config, Map.of(), "ingest");
            assertTrue(hold.awaitHeld(5, TimeUnit.MINUTES), "the child reached its leads request:\n" + output(log));
            holder.destroyForcibly();
            assertTrue(holder.waitFor(1, TimeUnit.MINUTES));
            hold.release();
            h.sandbox.faults().clear();

            EtlException busy = assertThrows(EtlException.class, h::run, "the dead holder's lease still blocks");
            assertEquals(ExitCode.BUSY, busy.exitCode());
            assertTrue(busy.getMessage().contains("(pid " + holder.pid() + ")"), busy.getMessage());

            IngestJob.Result r =
                    h.run(new IngestJob.Options(null, null, null, false, null, null, Duration.ofMinutes(3)));
            assertNull(r.partial());
            assertTrue(h.lastOutput.contains("waiting for ingest run"), h.lastOutput);
            h.assertLake(expected(h), Map.of());
        }
    }

    static ExpectedLake expected(LakeHarness h) {
        return new ExpectedLake(h.sandbox.groundTruth(), LakeHarness.GA, LakeHarness.REQUEST_ID);
    }

    static String output(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
