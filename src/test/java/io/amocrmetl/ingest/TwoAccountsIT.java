package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Lead;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several accounts, one lake (docs/connecting.md): two sandbox accounts,
 * each with its own config, token store and source name, ingest at the same time into one lake
 * from two threads of the shared SparkSession, twice (a first load, then a cycle of changes that
 * exercises MERGE, child rewrites, deletions and reference refreshes). Every predicate names its
 * account, so no Delta commit conflicts; each account's rows equal its ground truth; each run
 * keeps to its own rate budget.
 */
class TwoAccountsIT {
    static final int RPS = 5;
    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void twoAccountsIngestAtOnceIntoOneLakeWithoutConflicts() throws Exception {
        try (LakeHarness alpha =
                        new LakeHarness(SandboxSettings.defaults().withSeed(201).withLeads(30), dir.resolve("alpha"));
                LakeHarness beta =
                        new LakeHarness(SandboxSettings.defaults().withSeed(202).withLeads(30), dir.resolve("beta"))) {
            List<LakeHarness> both = List.of(alpha, beta);
            beta.config.put("lake.path", alpha.config.get("lake.path"));
            for (LakeHarness h : both) {
                h.config.put("amocrm.source-name", h == alpha ? "alpha" : "beta");
                h.config.put("amocrm.rate-limit.unlimited", "false");
                h.config.put("amocrm.rate-limit.requests-per-second", String.valueOf(RPS));
                h.config.put("tables.tasks.enabled", "false");
                h.config.put("tables.unsorted.enabled", "false");
                h.config.put("tables.companies.enabled", "false");
                h.config.put("tables.contacts.enabled", "false"); // leads, their child tables and every reference table
                h.sandbox.limits().enabled = true;
            }
            long a = alpha.sandbox.groundTruth().account().id();
            long b = beta.sandbox.groundTruth().account().id();
            assertTrue(a != b);

            runAtOnce(both);
            for (LakeHarness h : both) {
                h.assertLake(IngestIT.expected(h), Map.of());
            }
            for (LakeHarness h : both) {
                change(h.sandbox.account(), h.sandbox.groundTruth());
            }
            runAtOnce(both);
            for (LakeHarness h : both) {
                h.assertLake(IngestIT.expected(h), Map.of());
                List<io.amocrmetl.sandbox.http.RequestRecord> log =
                        h.sandbox.requests().snapshot();
                int busiest = RequestLog.busiestWindow(log, SECOND);
                assertTrue(
                        busiest <= RPS,
                        h.config.get("amocrm.source-name") + ": busiest second held " + busiest + " requests of "
                                + log.size());
                assertEquals(0, h.sandbox.limits().limitedCount(), "no 429");
            }
            var lake = alpha.lake();
            assertEquals(List.of("alpha"), names(lake.read(Tables.JOURNAL, a)));
            assertEquals(List.of("beta"), names(lake.read(Tables.JOURNAL, b)));
            assertEquals(
                    lake.read(Tables.SYNC_STATE).count(),
                    lake.read(Tables.SYNC_STATE, a).count()
                            + lake.read(Tables.SYNC_STATE, b).count(),
                    "every _sync_state row belongs to one of them");
        }
    }

    /** Both runs start together and overlap; any failure (a Delta conflict) fails the test. */
    private static void runAtOnce(List<LakeHarness> runs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(runs.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<IngestJob.Result>> done = new ArrayList<>();
            for (LakeHarness h : runs) {
                done.add(pool.submit(() -> {
                    start.await();
                    return h.run();
                }));
            }
            int[] before = runs.stream()
                    .mapToInt(h -> h.sandbox.requests().snapshot().size())
                    .toArray();
            start.countDown();
            for (Future<IngestJob.Result> f : done) {
                assertEquals(
                        io.amocrmetl.core.ExitCode.OK,
                        f.get(15, TimeUnit.MINUTES).exitCode());
            }
            // They did run at once: each run's requests began before the other's ended.
            long[][] spans = new long[runs.size()][];
            for (int i = 0; i < runs.size(); i++) {
                List<io.amocrmetl.sandbox.http.RequestRecord> log =
                        runs.get(i).sandbox.requests().snapshot();
                log = log.subList(before[i], log.size());
                spans[i] = new long[] {
                    log.get(0).startNanos(), log.get(log.size() - 1).startNanos()
                };
            }
            assertTrue(spans[0][0] < spans[1][1] && spans[1][0] < spans[0][1], "the two runs overlapped in time");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Changes that make the second run MERGE, rewrite children, apply deletions and refresh references. */
    private static void change(AccountData a, GroundTruth t) {
        List<Lead> leads = t.leads().live().stream()
                .sorted(Comparator.comparingLong(Lead::id))
                .toList();
        List<Contact> contacts = t.contacts().live().stream()
                .sorted(Comparator.comparingLong(Contact::id))
                .toList();
        a.renameLead(leads.get(3).id(), "renamed «3»");
        a.updateLeadPrice(leads.get(4).id(), 4242);
        a.changeLeadStatus(leads.get(5).id(), IngestIT.otherStatus(t, leads.get(5)));
        a.addLeadTag(leads.get(6).id(), "новый тег");
        a.addLead("new lead", 100);
        a.delete("leads", leads.get(7).id());
        Lead lone = leads.get(8);
        contacts.stream()
                .filter(c -> lone.contacts().stream().noneMatch(l -> l.contactId() == c.id()))
                .findFirst()
                .ifPresent(c -> a.link(lone.id(), c.id(), false));
    }

    private static List<String> names(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> journal) {
        return journal.select("source_name").distinct().collectAsList().stream()
                .map(r -> r.getString(0))
                .toList();
    }
}
