package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.http.Faults;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.testing.ChildJvm;
import io.amocrmetl.testing.ExpectedLake;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash safety (docs/architecture.md): a child JVM runs ingest and is killed at a crash point, as
 * {@code kill -9} would; the next run converges to the expectation with no duplicate key. Each
 * point runs with several seeds ({@code -Dcrash.seeds}, default 5), each choosing the account, the
 * mutations, the run killed and the occurrence. Cases run two at a time, each with its own sandbox
 * and lake, sharing one SparkSession (docs/testing.md).
 */
class CrashSafetySlowIT {
    static final int SEEDS = Integer.getInteger("crash.seeds", 5);
    static final List<String> POINTS = List.of(
            CrashPoint.AFTER_CHILD_COMMIT, CrashPoint.AFTER_PARENT_COMMIT, "mid-fetch", CrashPoint.MID_HISTORICAL);

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        // -Dcrash.points=a,b runs only those points (e.g. to repeat one with many seeds).
        String only = System.getProperty("crash.points", "all");
        for (String point : POINTS) {
            if (!only.equals("all") && !List.of(only.split(",")).contains(point)) {
                continue;
            }
            for (int s = 0; s < SEEDS; s++) {
                out.add(Arguments.of(point, 700L + s));
            }
        }
        return out.stream();
    }

    // The cases run at once, not the class: the slow tier runs its classes one at a time in one JVM.
    @ParameterizedTest(name = "{0}, seed {1}")
    @Execution(ExecutionMode.CONCURRENT)
    @MethodSource("cases")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void aRunKilledAtAPointConvergesOnTheNextRun(String point, long seed) throws Exception {
        Random random = new Random(seed);
        long t0 = System.nanoTime();
        java.util.function.Consumer<String> phase = what -> System.out.printf(
                "crash case %s, seed %d: %s at +%.1f s%n", point, seed, what, (System.nanoTime() - t0) / 1e9);
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(seed).withLeads(60 + random.nextInt(60)), dir)) {
            // Leads (four child tables) and contacts (two), the references, and the events read for
            // status history and deletions: every commit step, at a cost 20 runs can afford.
            h.config.put("tables.unsorted.enabled", "false");
            h.config.put("tables.companies.enabled", "false");
            // The killed child leaves its account lease behind: the next run waits out its expiry
            // and takes it over (docs/lakehouse.md, "One writer per account").
            h.config.put("lake.lease-expiry", "2s");
            h.config.put("tables.tasks.enabled", "false");
            boolean historical = point.equals(CrashPoint.MID_HISTORICAL);
            boolean killFirstRun = !historical && seed % 2 == 0;
            Instant from = null;
            if (historical) {
                // A short initial run, then a 6-month load in small windows, each its own commit.
                h.config.put("history.initial-days", "2");
                h.config.put("ingest.window", "14d");
                h.config.put("ingest.window-rows", "60");
            }
            if (!killFirstRun) {
                h.run();
                mutate(h, random);
                phase.accept("first run done");
            }
            h.sandbox.clock().advance(Duration.ofSeconds(2));
            List<String> args = new ArrayList<>(List.of("ingest"));
            if (historical) {
                from = h.sandbox.clock().now().minus(Duration.ofDays(182));
                args.addAll(List.of("--from", from.toString()));
            }
            Instant coverageBefore = historical ? HistoricalLoadIT.coverage(h, "leads")[0] : null;
            Path log = dir.resolve("child.log");
            Process child;
            if (point.equals("mid-fetch")) {
                // The sandbox holds the n-th request of an entity list; the child is killed while it waits.
                String path = List.of("/api/v4/leads", "/api/v4/contacts", "/api/v4/events")
                        .get(random.nextInt(3));
                Faults.Hold hold = h.sandbox.faults().hold(path, 1);
                child = ChildJvm.etl(log, h.config, Map.of(), args.toArray(String[]::new));
                assertTrue(hold.awaitHeld(12, TimeUnit.MINUTES), "the child reached " + path + ":\n" + output(log));
                child.destroyForcibly();
                assertTrue(child.waitFor(1, TimeUnit.MINUTES));
                hold.release();
                h.sandbox.faults().clear();
            } else {
                // Every run commits leads and contacts (mutate changes both), each with its child
                // tables first: two parent commits and at least three child commits to choose from.
                int nth = 1 + random.nextInt(point.equals(CrashPoint.AFTER_PARENT_COMMIT) ? 2 : 3);
                child = ChildJvm.etl(
                        log, h.config, Map.of(CrashPoint.PROPERTY, point + ":" + nth), args.toArray(String[]::new));
                assertTrue(child.waitFor(12, TimeUnit.MINUTES), "the child finished:\n" + output(log));
                assertEquals(137, child.exitValue(), "the child halted at " + point + ":" + nth + ":\n" + output(log));
                assertTrue(output(log).contains("crash point '" + point + "'"), output(log));
            }
            phase.accept("child killed");
            if (historical) {
                // Windows committed before the kill stay: the next run only reads what was not done.
                assertTrue(!HistoricalLoadIT.coverage(h, "leads")[0].isAfter(coverageBefore));
            }
            mutate(h, random);
            IngestJob.Result again =
                    h.run(new IngestJob.Options(null, from, null, false, null, null, Duration.ofMinutes(1)));
            assertEquals(null, again.partial());
            if (historical) {
                // The hourly run brings what changed since: a historical load stops at the watermark.
                assertEquals(null, h.run().partial());
            }
            phase.accept("re-run done");
            ExpectedLake expected = new ExpectedLake(h.sandbox.groundTruth(), LakeHarness.GA, LakeHarness.REQUEST_ID);
            // assertLake fails on a key that appears twice in any table.
            h.assertLake(expected, historical ? HistoricalLoadIT.outside(h, expected, from) : Map.of());
            if (historical) {
                assertEquals(from.getEpochSecond(), HistoricalLoadIT.coverage(h, "leads")[0].getEpochSecond());
            }
            phase.accept("checked");
        }
    }

    /**
     * A few seeded changes of the kinds an hourly run sees. Only leads the lake already holds are
     * deleted: one deleted before any run saw it is rightly absent, which the expectation (every
     * deleted entity, flagged) does not model.
     */
    static void mutate(LakeHarness h, Random random) {
        AccountData a = h.sandbox.account();
        GroundTruth t = a.groundTruth();
        java.util.Set<Long> inLake = new java.util.HashSet<>(h.lake()
                .read("leads", t.account().id())
                .select("id")
                .as(org.apache.spark.sql.Encoders.LONG())
                .collectAsList());
        List<Lead> leads = t.leads().live().stream()
                .sorted((x, y) -> Long.compare(x.id(), y.id()))
                .toList();
        for (int i = 0; i < 3; i++) {
            Lead l = leads.get(random.nextInt(leads.size()));
            switch (random.nextInt(4)) {
                case 0 -> a.renameLead(l.id(), "renamed " + random.nextInt(1000));
                case 1 -> a.updateLeadPrice(l.id(), random.nextInt(100_000));
                case 2 -> a.addLeadTag(l.id(), "crash-tag-" + random.nextInt(5));
                default -> {
                    if (inLake.contains(l.id())) {
                        a.delete("leads", l.id());
                    } else {
                        a.renameLead(l.id(), "renamed, not deleted " + random.nextInt(1000));
                    }
                }
            }
        }
        a.addLead("new after crash " + random.nextInt(1000), random.nextInt(5000));
        // A contact too, so that an incremental run commits two parent tables, as a first run does.
        List<Long> contacts =
                t.contacts().live().stream().map(c -> c.id()).sorted().toList();
        long contact = contacts.get(random.nextInt(contacts.size()));
        a.updateContact(contact, c -> c.withName("edited before a crash run " + random.nextInt(1000)));
    }

    static String output(Path log) throws java.io.IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    }
}
