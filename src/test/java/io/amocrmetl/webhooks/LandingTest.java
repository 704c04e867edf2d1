package io.amocrmetl.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Durable landing: the local log (group commit, rotation, crash recovery, one receiver) and objects. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LandingTest {
    @TempDir
    Path dir;

    static byte[] record(int i) {
        return record(i, Forms.ACCOUNT.id());
    }

    static byte[] record(int i, long account) {
        return new LandingRecord(
                        "id-" + i,
                        1_700_000_000_000L + i,
                        account,
                        Forms.ACCOUNT.subdomain(),
                        List.of(new WebhookSignal("tasks", String.valueOf(1000 + i), "delete", null)),
                        "task%5Bdelete%5D...")
                .toJson();
    }

    static Set<String> ids(LandingInbox inbox) {
        Set<String> out = new HashSet<>();
        inbox.deliveries().forEach(d -> out.add(d.id()));
        return out;
    }

    static Set<String> expected(int from, int to) {
        Set<String> out = new HashSet<>();
        for (int i = from; i < to; i++) {
            out.add("id-" + i);
        }
        return out;
    }

    /** Many concurrent senders: each record is on disk when its future completes, read back exactly once. */
    @Test
    void concurrentRecordsLandOnceAndTheOpenFileIsReadableWhileOpen() throws Exception {
        LogLanding landing = new LogLanding(dir, 1 << 20, 3_600_000);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int base = t * 250;
            Thread th = new Thread(() -> {
                for (int i = base; i < base + 250; i++) {
                    CompletableFuture<Void> f = landing.land(record(i));
                    synchronized (all) {
                        all.add(f);
                    }
                    f.join();
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(2000, all.size());
        LandingInbox open = LandingInbox.read(new LocalFiles(dir), Forms.ACCOUNT.id());
        assertEquals(2000, open.deliveries().size(), "the open file is read while the receiver runs");
        assertEquals(expected(0, 2000), ids(open));
        assertEquals(0, open.archive(), "an open file is not archived");
        landing.close();
        assertEquals(List.of(), Files.list(dir.resolve("open")).toList(), "closing moves the open file to ready/");
        LandingInbox ready = LandingInbox.read(new LocalFiles(dir), Forms.ACCOUNT.id());
        assertEquals(expected(0, 2000), ids(ready));
        assertEquals(2000, ready.deliveries().size());
        assertEquals(1, ready.archive());
        assertTrue(
                LandingInbox.read(new LocalFiles(dir), Forms.ACCOUNT.id()).isEmpty(),
                "archived files are not read again");
        assertEquals(1, Files.list(dir.resolve("archive")).count());
    }

    @Test
    void filesRotateBySize() throws Exception {
        try (LogLanding landing = new LogLanding(dir, 2_000, 3_600_000)) {
            for (int i = 0; i < 100; i++) {
                landing.land(record(i)).get();
            }
        }
        assertTrue(Files.list(dir.resolve("ready")).count() > 5);
        assertEquals(expected(0, 100), ids(LandingInbox.read(new LocalFiles(dir), Forms.ACCOUNT.id())));
    }

    /** A crash mid-write leaves a torn tail in open/: the next start cuts it and keeps every whole record. */
    @Test
    void aTornOpenFileIsRecoveredAtStart() throws Exception {
        Files.createDirectories(dir.resolve("open"));
        Path crashed = dir.resolve("open").resolve("0000000000001-000000-00000000.wlog");
        byte[] whole = FramesTest.file(List.of(record(1), record(2), record(3)));
        byte[] fourth = Frames.frame(record(4));
        Files.write(crashed, whole);
        Files.write(crashed, java.util.Arrays.copyOf(fourth, fourth.length / 2), StandardOpenOption.APPEND);
        LandingInbox before = LandingInbox.read(new LocalFiles(dir), Forms.ACCOUNT.id());
        assertEquals(expected(1, 4), ids(before), "readers drop the torn tail even before recovery");
        try (LogLanding landing = new LogLanding(dir, 1 << 20, 3_600_000)) {
            assertTrue(landing.describe().contains("recovered 1 file"), landing.describe());
            landing.land(record(5)).get();
        }
        Path recovered = dir.resolve("ready").resolve(crashed.getFileName());
        assertEquals(whole.length, Files.size(recovered), "the torn tail is cut");
        Set<String> all = expected(1, 4);
        all.add("id-5");
        assertEquals(all, ids(LandingInbox.read(new LocalFiles(dir), Forms.ACCOUNT.id())));
    }

    @Test
    void aSecondReceiverCannotShareTheFolder() throws Exception {
        try (LogLanding first = new LogLanding(dir, 1 << 20, 3_600_000)) {
            IOException e = assertThrows(IOException.class, () -> new LogLanding(dir, 1 << 20, 3_600_000));
            assertTrue(e.getMessage().contains("another receiver"), e.getMessage());
            first.land(record(1)).get();
        }
        new LogLanding(dir, 1 << 20, 3_600_000).close();
    }

    /**
     * Object-store mode through the same code an s3a:// landing runs (Hadoop's FileSystem), on a
     * file: URI: one whole object per batch in the account's ready/, read back and archived the same way.
     */
    @Test
    void objectModeWritesOneObjectPerBatch() throws Exception {
        String uri = dir.resolve("objects").toUri().toString();
        LandingFiles root = new HadoopFiles(uri, null);
        LandingFiles files = root.under(LandingFiles.accountFolder(Forms.ACCOUNT.id()));
        try (ObjectLanding landing = new ObjectLanding(files)) {
            List<CompletableFuture<Void>> f = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                f.add(landing.land(record(i)));
            }
            for (CompletableFuture<Void> x : f) {
                x.get();
            }
            landing.land(record(50)).get();
        }
        List<String> objects = files.list("ready");
        assertTrue(objects.size() >= 2 && objects.size() <= 51, objects.toString());
        assertTrue(objects.stream().allMatch(n -> n.endsWith(".wobj")), objects.toString());
        assertEquals(List.of(), files.list("open"), "nothing is appended in object mode");
        assertTrue(
                Files.isDirectory(dir.resolve("objects/account_id=" + Forms.ACCOUNT.id() + "/ready")),
                "under the account's folder");
        assertEquals(List.of(), root.list("ready"));
        LandingInbox inbox = LandingInbox.read(root, Forms.ACCOUNT.id());
        assertEquals(expected(0, 51), ids(inbox));
        assertEquals(objects.size(), inbox.archive());
        assertEquals(objects, files.list("archive"));
        assertTrue(LandingInbox.read(root, Forms.ACCOUNT.id()).isEmpty());
    }

    /**
     * Two accounts in one landing (docs/webhooks.md: landing): each reads and archives its own
     * folder only. Files an earlier version left at the root are read for each account's
     * deliveries; one is archived by the account that owns every delivery in it, and one holding
     * both accounts' deliveries stays.
     */
    @Test
    void eachAccountReadsAndArchivesItsOwnFolderAndOnlyTheRootFilesItAloneOwns() throws Exception {
        long a = Forms.ACCOUNT.id();
        long b = 31_000_002L;
        LandingFiles root = new LocalFiles(dir);
        land(dir.resolve(LandingFiles.accountFolder(a)), record(1, a), record(2, a));
        land(dir.resolve(LandingFiles.accountFolder(b)), record(3, b));
        // An earlier version's root: a mixed file, one of a's only, one of b's only.
        String mixed = land(dir, record(4, a), record(5, b));
        String onlyA = land(dir, record(6, a));
        String onlyB = land(dir, record(7, b));

        LandingInbox ofA = LandingInbox.read(root, a);
        assertEquals(Set.of("id-1", "id-2", "id-4", "id-6"), ids(ofA));
        assertTrue(
                ofA.summary().contains("2 of other accounts left for their own ingest (2 root file(s) kept)"),
                ofA.summary());
        assertEquals(2, ofA.archive(), "its own file and the root file only it owns");
        assertEquals(
                1,
                Files.list(dir.resolve(LandingFiles.accountFolder(a) + "/archive"))
                        .count());
        assertEquals(List.of(onlyA), root.list("archive"));
        assertEquals(
                1,
                Files.list(dir.resolve(LandingFiles.accountFolder(b) + "/ready"))
                        .count(),
                "b's own file stays");
        assertEquals(Set.of(mixed, onlyB), Set.copyOf(root.list("ready")));

        LandingInbox ofB = LandingInbox.read(root, b);
        assertEquals(Set.of("id-3", "id-5", "id-7"), ids(ofB), "b's deliveries are all still there");
        assertEquals(2, ofB.archive());
        assertEquals(List.of(mixed), root.list("ready"), "the mixed file stays");
        assertEquals(Set.of("id-4"), ids(LandingInbox.read(root, a)), "read again, applying twice is harmless");
    }

    /** One ready file holding these records, as a receiver landing into {@code folder} leaves it; its name. */
    static String land(Path folder, byte[]... records) throws Exception {
        Set<String> before = Set.copyOf(new LocalFiles(folder).list("ready"));
        try (LogLanding landing = new LogLanding(folder, 1 << 20, 3_600_000)) {
            for (byte[] r : records) {
                landing.land(r).get();
            }
        }
        List<String> added = new ArrayList<>(new LocalFiles(folder).list("ready"));
        added.removeAll(before);
        assertEquals(1, added.size(), added.toString());
        return added.get(0);
    }

    @Test
    void theAccountIdentityIsKeptInTheLandingFolder() throws Exception {
        LandingFiles files = new LocalFiles(dir);
        assertEquals(null, AccountIdentity.load(files, "acme"));
        Forms.ACCOUNT.save(files, "acme");
        assertEquals(Forms.ACCOUNT, AccountIdentity.load(files, "acme"));
        // Another account of the lake, configured under another source name, keeps its own.
        AccountIdentity other = new AccountIdentity(31_000_002L, "otheracc");
        other.save(files, "other");
        assertEquals(Forms.ACCOUNT, AccountIdentity.load(files, "acme"));
        assertEquals(other, AccountIdentity.load(files, "other"));
        LandingFiles objects = new HadoopFiles(dir.resolve("o").toUri().toString(), null);
        Forms.ACCOUNT.save(objects, "acme");
        assertEquals(Forms.ACCOUNT, AccountIdentity.load(objects, "acme"));
    }
    /**
     * A writer thread that dies (an Error, such as running out of memory) fails the delivery it held
     * and every one queued, and failure() (so /health) says so instead of staying green.
     */
    @Test
    void aDeadWriterFailsItsDeliveriesAndTheHealthCheck() throws Exception {
        GroupCommitLanding dying = new GroupCommitLanding() {
            @Override
            void write(List<byte[]> payloads) {
                throw new OutOfMemoryError("simulated");
            }

            @Override
            void idle() {}

            @Override
            void finish() {}

            @Override
            public String describe() {
                return "a landing whose writer dies";
            }
        };
        dying.start();
        assertNull(dying.failure(), "healthy before the first write");
        java.util.concurrent.CompletableFuture<Void> first = dying.land(record(1));
        ExecutionException e = assertThrows(ExecutionException.class, () -> first.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof OutOfMemoryError, e.toString());
        assertNotNull(dying.failure());
        assertTrue(dying.failure().contains("the landing writer stopped"), dying.failure());
        // A later delivery fails at once (a 503 now), rather than waiting in a queue nobody takes.
        ExecutionException later = assertThrows(
                ExecutionException.class, () -> dying.land(record(2)).get(5, TimeUnit.SECONDS));
        assertTrue(later.getCause().getMessage().contains("the landing writer stopped"), later.toString());
        dying.close();
    }
}
