package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.AccountLease;
import io.amocrmetl.marts.MartsJob;
import io.amocrmetl.reconcile.ReconcileJob;
import io.amocrmetl.retention.RetentionJob;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.state.SyncState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs that interleave on one account's {@code _sync_state} (docs/lakehouse.md, "Overlapping
 * runs"): each writes only what it changed, judged against the row at commit time, so a retention
 * run during an ingest keeps its cut-off, and an ingest during a retention run keeps its watermark.
 */
class InterleavedStateIT {
    @TempDir
    static Path dir;

    static LakeHarness h;
    static long account;

    @BeforeAll
    static void lake() {
        h = new LakeHarness(SandboxSettings.defaults().withSeed(77).withLeads(30), dir);
        // Retention runs while the ingest waits for a page: give that page time.
        h.config.put("amocrm.http.read-timeout", "10m");
        h.config.put("marts.path", dir.resolve("marts").toString());
        // A waiting job looks again every eighth of the expiry: short, so the wait below ends soon after the release.
        h.config.put("lake.lease-expiry", "20s");
        h.run();
        account = h.sandbox.groundTruth().account().id();
    }

    @AfterAll
    static void close() {
        h.close();
    }

    @Test
    void retentionAndIngestInterleavedKeepEachOthersState() throws Exception {
        {
            // 1. A retention run between an ingest's start (its state read) and its commit.
            Map<String, String> rules = new LinkedHashMap<>(h.config);
            rules.put("retention.tables.leads.days", "30");
            AtomicReference<RetentionJob.Result> retention = new AtomicReference<>();
            Instant leadsBefore = state(h, account).get("leads").watermark();
            AtomicReference<Throwable> refused = new AtomicReference<>();
            h.sandbox.faults().mutateAfterPage("/api/v4/leads", 1, () -> {
                // The ingest holds the account: retention is refused (exit 7) ...
                try {
                    retain(h, rules);
                } catch (RuntimeException e) {
                    refused.set(e);
                }
                // ... unless the ingest stalled past lake.lease-expiry (a long GC pause, a host cut off)
                // and its lease was taken over: then both write, and the state must keep both jobs' changes.
                try {
                    Files.delete(leaseFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                retention.set(retain(h, rules));
            });
            h.run();
            h.sandbox.faults().clear();
            assertBusy(refused.get(), "ingest run");
            assertNotNull(retention.get(), "retention ran during the ingest");
            Instant cutoff = retention.get().cutoffs().get("leads");
            SyncState.Entry leads = state(h, account).get("leads");
            assertEquals(cutoff, leads.retentionCutoff(), "the ingest kept the cut-off recorded during its run");
            assertTrue(!leads.coverageStart().isBefore(cutoff), "coverage starts at or after the cut-off: " + leads);
            assertTrue(leads.watermark().isAfter(leadsBefore), "and moved its own watermark: " + leads);

            // 2. An ingest between a retention run's state read and its commit.
            SyncState retentionView = state(h, account);
            SyncState.Entry contacts = retentionView.get("contacts");
            h.run();
            Instant ingested = state(h, account).get("contacts").watermark();
            assertTrue(ingested.isAfter(contacts.watermark()));
            Instant cut = contacts.coverageStart().plus(Duration.ofDays(1));
            // As retention records a cut-off: coverage moves up to it, the watermark is left as read.
            retentionView.put(
                    contacts.withWatermark(contacts.watermark(), cut).withRetentionCutoff(cut), "retention-test");
            SyncState.Entry after = state(h, account).get("contacts");
            assertEquals(ingested, after.watermark(), "the retention run did not put back the watermark it read");
            assertEquals(cut, after.retentionCutoff());
            assertEquals(cut, after.coverageStart());
        }
    }

    /**
     * Every other job that writes the account holds its lease (docs/lakehouse.md, "One writer per
     * account"): while another job holds it, retention, reconcile with repair and marts exit 7 naming
     * the holder and write nothing; a dry run, which writes nothing, goes ahead; and with a wait
     * retention proceeds once the holder lets go.
     */
    @Test
    void otherWritersExitBusyOrWaitWhileTheAccountIsHeld() throws Exception {
        EtlConfig cfg = EtlConfig.load(null, h.config);
        try (AccountLease held = AccountLease.acquire(
                h.lake(), account, "ingest", "0a1b2c3d-held", cfg.leaseExpiry(), Duration.ZERO, System.out)) {
            Map<String, Long> before = lakeFiles();
            assertBusy(assertThrows(EtlException.class, () -> retain(h, h.config)), "ingest run 0a1b2c3d");
            assertBusy(
                    assertThrows(
                            EtlException.class,
                            () -> ReconcileJob.run(h.spark, cfg, h.config, ReconcileJob.Options.defaults(), quiet())),
                    "ingest run 0a1b2c3d");
            assertBusy(
                    assertThrows(EtlException.class, () -> MartsJob.run(h.spark, cfg, null, quiet())),
                    "ingest run 0a1b2c3d");
            assertEquals(before, lakeFiles(), "the refused jobs wrote nothing");
            RetentionJob.Result dry = RetentionJob.run(h.spark, cfg, new RetentionJob.Options(true), quiet());
            assertTrue(dry.dryRun());

            // A retention run told to wait: it says whom it waits for, then runs once the lease is free.
            CountDownLatch waiting = new CountDownLatch(1);
            StringBuilder said = new StringBuilder();
            PrintStream watched = new PrintStream(
                    new OutputStream() {
                        @Override
                        public synchronized void write(int b) {
                            said.append((char) b);
                            if (said.indexOf("waiting for ingest run 0a1b2c3d") >= 0) {
                                waiting.countDown();
                            }
                        }
                    },
                    true);
            Instant waitBegan = h.sandbox.clock().now();
            CompletableFuture<RetentionJob.Result> waited = CompletableFuture.supplyAsync(() ->
                    RetentionJob.run(h.spark, cfg, new RetentionJob.Options(false, Duration.ofMinutes(5)), watched));
            assertTrue(waiting.await(5, TimeUnit.MINUTES), "the waiting run named the holder: " + said);
            assertTrue(!waited.isDone(), "it waits while the lease is held");
            held.close();
            assertEquals(account, waited.get(5, TimeUnit.MINUTES).accountId());
            // Its server time moved on by the wait (a look every 2.5 s here), not the time it
            // read before waiting: the cut-offs are judged when it runs.
            Matcher at = Pattern.compile("server time (\\S+)").matcher(said);
            assertTrue(at.find(), said.toString());
            Instant judged = Instant.parse(at.group(1));
            assertTrue(
                    !judged.isBefore(waitBegan.plusSeconds(1)),
                    "judged at " + judged + ", the wait began at " + waitBegan);
        }
        assertTrue(!Files.exists(leaseFile()), "the lease is released after the run");
    }

    static void assertBusy(Throwable e, String holder) {
        assertNotNull(e, "refused");
        assertTrue(e instanceof EtlException, String.valueOf(e));
        assertEquals(ExitCode.BUSY, ((EtlException) e).exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains(holder), e.getMessage());
    }

    static Path leaseFile() {
        return Path.of(h.config.get("lake.path"), "_leases", "account_id=" + account + ".json");
    }

    /** Every file of the lake but the leases, with its size. */
    static Map<String, Long> lakeFiles() throws IOException {
        Path lake = Path.of(h.config.get("lake.path"));
        try (Stream<Path> files = Files.walk(lake)) {
            Map<String, Long> out = new TreeMap<>();
            files.filter(Files::isRegularFile)
                    .filter(f -> !lake.relativize(f).startsWith("_leases"))
                    .forEach(f ->
                            out.put(lake.relativize(f).toString(), f.toFile().length()));
            return out;
        }
    }

    static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream(), true);
    }

    static SyncState state(LakeHarness h, long account) {
        return new SyncState(h.lake(), account);
    }

    static RetentionJob.Result retain(LakeHarness h, Map<String, String> config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            RetentionJob.Result r =
                    RetentionJob.run(h.spark, EtlConfig.load(null, config), new RetentionJob.Options(false), p);
            System.out.print(out.toString(StandardCharsets.UTF_8));
            return r;
        }
    }
}
