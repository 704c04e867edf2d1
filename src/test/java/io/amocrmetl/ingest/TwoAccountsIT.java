package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.webhooks.Receiver;
import io.amocrmetl.webhooks.WebhookServer;
import io.amocrmetl.webhooks.WebhookSubscription;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

    /**
     * Per-account landing (docs/webhooks.md: landing): both accounts' receivers land into the one
     * landing path of their lake, each in its own folder; each account's ingest applies and archives
     * only its own files, and the other's wait for that account's ingest. Tasks are disabled here, so
     * a task deletion's webhook is ignored and keeps no file back.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void eachAccountAppliesAndArchivesOnlyItsOwnWebhooks() throws Exception {
        Path landing = dir.resolve("landing");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (LakeHarness alpha =
                        new LakeHarness(SandboxSettings.defaults().withSeed(203).withLeads(10), dir.resolve("alpha"));
                LakeHarness beta =
                        new LakeHarness(SandboxSettings.defaults().withSeed(204).withLeads(10), dir.resolve("beta"))) {
            List<LakeHarness> both = List.of(alpha, beta);
            beta.config.put("lake.path", alpha.config.get("lake.path"));
            List<Receiver> receivers = new ArrayList<>();
            try {
                Map<LakeHarness, List<String>> deleted = new HashMap<>();
                for (LakeHarness h : both) {
                    h.config.put("amocrm.source-name", h == alpha ? "alpha" : "beta");
                    for (String t : List.of("tasks", "unsorted", "companies", "contacts")) {
                        h.config.put("tables." + t + ".enabled", "false");
                    }
                    h.config.put("webhooks.landing-path", landing.toString());
                    h.config.put("webhooks.listen", "127.0.0.1:0");
                    h.config.put("webhooks.rotate-after", "0s"); // each delivery is ready for ingest at once
                    h.config.put("webhooks.destination", "http://127.0.0.1:1" + WebhookDeletionsIT.SECRET);
                    Receiver r = WebhookServer.start(EtlConfig.load(null, h.config), quiet);
                    receivers.add(r);
                    h.config.put("webhooks.destination", "http://127.0.0.1:" + r.port() + WebhookDeletionsIT.SECRET);
                    assertEquals(0, WebhookSubscription.install(EtlConfig.load(null, h.config), quiet));
                    h.run();
                    GroundTruth t = h.sandbox.groundTruth();
                    long lead = t.leads().live().stream()
                            .mapToLong(Lead::id)
                            .sorted()
                            .skip(2)
                            .findFirst()
                            .orElseThrow();
                    long task = t.tasks().live().get(0).id();
                    h.sandbox.account().delete("leads", lead);
                    h.sandbox.account().delete("tasks", task);
                    deleted.put(h, List.of("leads/" + lead, "tasks/" + task));
                }
                for (LakeHarness h : both) {
                    assertTrue(h.sandbox.webhooks().awaitIdle(20_000));
                }
                long a = alpha.sandbox.groundTruth().account().id();
                long b = beta.sandbox.groundTruth().account().id();
                Path ofA = landing.resolve("account_id=" + a);
                Path ofB = landing.resolve("account_id=" + b);
                List<String> readyOfB = files(ofB.resolve("ready"));
                assertFalse(files(ofA.resolve("ready")).isEmpty(), "alpha landed in its folder");
                assertFalse(readyOfB.isEmpty(), "beta landed in its folder");
                assertEquals(List.of(), files(landing.resolve("ready")), "nothing at the landing root");
                assertTrue(Files.exists(landing.resolve("accounts/alpha.json")), "each receiver keeps its account");
                assertTrue(Files.exists(landing.resolve("accounts/beta.json")));

                alpha.run();
                assertEquals(List.of(), files(ofA.resolve("ready")), "alpha's files archived: tasks are disabled");
                List<String> archivedOfA = files(ofA.resolve("archive"));
                assertFalse(archivedOfA.isEmpty());
                assertEquals(readyOfB, files(ofB.resolve("ready")), "beta's files wait for beta's ingest");
                assertEquals(List.of(), files(ofB.resolve("archive")));
                assertEquals(deleted.get(alpha), WebhookDeletionsIT.deletions(alpha, "webhook"));
                assertEquals(List.of(), WebhookDeletionsIT.deletions(beta, "webhook"), "nothing of beta's applied");
                assertEquals(deletedLeads(alpha), flaggedLeads(alpha));

                beta.run();
                assertEquals(List.of(), files(ofB.resolve("ready")), "beta's own ingest archives them");
                assertEquals(readyOfB, files(ofB.resolve("archive")));
                assertEquals(archivedOfA, files(ofA.resolve("archive")), "alpha's folder untouched by beta's run");
                assertEquals(deleted.get(beta), WebhookDeletionsIT.deletions(beta, "webhook"));
                assertEquals(deleted.get(alpha), WebhookDeletionsIT.deletions(alpha, "webhook"));
                assertEquals(deletedLeads(beta), flaggedLeads(beta));
            } finally {
                receivers.forEach(Receiver::close);
            }
        }
    }

    /** The landing files in a folder, sorted; none when it does not exist. */
    private static List<String> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static Set<Long> deletedLeads(LakeHarness h) {
        Set<Long> out = new TreeSet<>();
        h.sandbox
                .groundTruth()
                .leads()
                .deleted()
                .forEach(d -> out.add(d.record().id()));
        return out;
    }

    private static Set<Long> flaggedLeads(LakeHarness h) {
        Set<Long> out = new TreeSet<>();
        h.lake()
                .read("leads", h.sandbox.groundTruth().account().id())
                .where("is_deleted")
                .select("id")
                .collectAsList()
                .forEach(r -> out.add(r.getLong(0)));
        return out;
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
