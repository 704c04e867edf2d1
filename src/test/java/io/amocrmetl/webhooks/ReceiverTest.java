package io.amocrmetl.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The receiver on loopback: what it accepts lands before the 200; what it cannot land gets a 503. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiverTest {
    @TempDir
    Path dir;

    @Test
    void aDeliveryLandsBeforeItsAnswerAndTheLogLineHidesTheSecret() throws Exception {
        try (ReceiverFixture fx = new ReceiverFixture(dir)) {
            String u = "unsorted[delete][0]";
            RawHttp.Answer a = fx.post(Forms.delivery()
                    .leadDelete(0, 501)
                    .field("contacts[delete][0][id]", "601")
                    .field("contacts[delete][0][type]", "company")
                    .field(u + "[action]", "decline")
                    .field(u + "[uid]", "uid-7")
                    .account()
                    .bytes());
            assertEquals(200, a.status(), a.text());
            // Landed (fsync'ed) before the 200: readable right away.
            List<LandingInbox.Landed> landed =
                    LandingInbox.read(new LocalFiles(dir), Forms.ACCOUNT.id()).deliveries();
            assertEquals(1, landed.size());
            assertEquals(Forms.ACCOUNT.id(), landed.get(0).accountId());
            assertEquals(
                    List.of(
                            new WebhookSignal("leads", "501", "delete", null),
                            new WebhookSignal("companies", "601", "delete", null),
                            new WebhookSignal("unsorted", "uid-7", "delete", "decline")),
                    landed.get(0).signals());
            RawHttp.Answer again =
                    fx.post(Forms.delivery().leadDelete(0, 501).account().bytes());
            assertEquals(200, again.status());
            assertEquals(
                    2,
                    LandingInbox.read(new LocalFiles(dir), Forms.ACCOUNT.id())
                            .deliveries()
                            .size(),
                    "a delivery sent twice lands twice; ingest applies it once");

            RawHttp.Answer health = RawHttp.send(fx.port(), RawHttp.request("GET", "/health", null, null));
            assertEquals(200, health.status());
            assertTrue(
                    health.text().contains("\"status\":\"ok\"") && health.text().contains("\"accepted\":2"),
                    health.text());
            fx.close();
            String log = fx.log();
            System.out.print(log);
            assertEquals(3, log.lines().filter(l -> l.contains(" webhook ")).count(), log);
            assertTrue(log.contains(" webhook 200 POST <destination> "), log);
            assertTrue(log.contains("3 signals"), log);
            assertFalse(log.contains("hooks/5f1c"), log);
        }
    }

    @Test
    void concurrentSendersAllLandOnce() throws Exception {
        try (ReceiverFixture fx = new ReceiverFixture(dir)) {
            ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int base = t * 50;
                Thread th = new Thread(() -> {
                    for (int i = base; i < base + 50; i++) {
                        try {
                            statuses.add(fx.post(Forms.delivery()
                                            .field("task[delete][0][id]", String.valueOf(10_000 + i))
                                            .account()
                                            .bytes())
                                    .status());
                        } catch (IOException e) {
                            statuses.add(-1);
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertEquals(400, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            Set<String> keys = new HashSet<>();
            LandingInbox.read(new LocalFiles(dir), Forms.ACCOUNT.id())
                    .deliveries()
                    .forEach(d -> keys.add(d.signals().get(0).key()));
            assertEquals(400, keys.size());
        }
        assertEquals(List.of(), Files.list(dir.resolve("open")).toList(), "a stopped receiver leaves its file ready");
    }

    /** A landing that fails or hangs: the sender gets 503 in time (amoCRM retries), never a 200. */
    @Test
    void whatCannotBeLandedIsNotAcknowledged() throws Exception {
        StubLanding failing =
                new StubLanding(CompletableFuture.failedFuture(new IOException("No space left on device")));
        try (Receiver r = Receiver.start(
                Receiver.Options.defaults(ReceiverFixture.SECRET_PATH, "127.0.0.1", 0, Forms.ACCOUNT),
                failing,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            RawHttp.Answer a = RawHttp.send(
                    r.port(),
                    RawHttp.request(
                            "POST",
                            ReceiverFixture.SECRET_PATH,
                            "application/x-www-form-urlencoded",
                            Forms.delivery().leadDelete(0, 1).account().bytes()));
            assertEquals(503, a.status(), a.text());
            assertTrue(a.text().contains("No space left on device"), a.text());
            assertEquals(
                    503,
                    RawHttp.send(r.port(), RawHttp.request("GET", "/health", null, null))
                            .status());
        }
        StubLanding hanging = new StubLanding(new CompletableFuture<>());
        try (Receiver r = Receiver.start(
                new Receiver.Options(ReceiverFixture.SECRET_PATH, "127.0.0.1", 0, Forms.ACCOUNT, 1 << 20, 20_000, 300),
                hanging,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            RawHttp.Answer a = RawHttp.send(
                    r.port(),
                    RawHttp.request(
                            "POST",
                            ReceiverFixture.SECRET_PATH,
                            "application/x-www-form-urlencoded",
                            Forms.delivery().leadDelete(0, 1).account().bytes()));
            assertEquals(503, a.status(), a.text());
            assertTrue(a.millis() < 2000, "answered within amoCRM's 2 s: " + a.millis() + " ms");
        }
    }

    /** A landing whose every write ends as the given future does. */
    static final class StubLanding implements Landing {
        private final CompletableFuture<Void> outcome;

        StubLanding(CompletableFuture<Void> outcome) {
            this.outcome = outcome;
        }

        @Override
        public CompletableFuture<Void> land(byte[] payload) {
            return outcome;
        }

        @Override
        public String describe() {
            return "stub";
        }

        @Override
        public String failure() {
            return outcome.isCompletedExceptionally() ? "failing" : null;
        }

        @Override
        public long landed() {
            return 0;
        }

        @Override
        public void close() {}
    }
}
