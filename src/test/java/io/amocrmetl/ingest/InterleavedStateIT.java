package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.retention.RetentionJob;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.state.SyncState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs that interleave on one account's {@code _sync_state} (docs/lakehouse.md, "Overlapping
 * runs"): each writes only what it changed, judged against the row at commit time, so a retention
 * run during an ingest keeps its cut-off, and an ingest during a retention run keeps its watermark.
 */
class InterleavedStateIT {
    @TempDir
    Path dir;

    @Test
    void retentionAndIngestInterleavedKeepEachOthersState() {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(77).withLeads(30), dir)) {
            // Retention runs while the ingest waits for a page: give that page time.
            h.config.put("amocrm.http.read-timeout", "10m");
            h.run();
            long account = h.sandbox.groundTruth().account().id();

            // 1. A retention run between an ingest's start (its state read) and its commit.
            Map<String, String> rules = new LinkedHashMap<>(h.config);
            rules.put("retention.tables.leads.days", "30");
            AtomicReference<RetentionJob.Result> retention = new AtomicReference<>();
            Instant leadsBefore = state(h, account).get("leads").watermark();
            h.sandbox.faults().mutateAfterPage("/api/v4/leads", 1, () -> retention.set(retain(h, rules)));
            h.run();
            h.sandbox.faults().clear();
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
