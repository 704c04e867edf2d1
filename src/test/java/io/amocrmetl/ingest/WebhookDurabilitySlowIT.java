package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.webhooks.LandingInbox;
import io.amocrmetl.webhooks.WebhookSignal;
import io.amocrmetl.webhooks.WebhookSubscription;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook durability (docs/webhooks.md): {@value #DELIVERIES} deliveries from {@value #CLIENTS}
 * concurrent senders to a receiver in a JVM of its own, killed with {@code kill -9} twice
 * mid-stream and restarted. Senders behave like amoCRM: a delivery without a 2xx is sent again.
 * Every delivery that got a 2xx is in the landing after the restarts (the ones acknowledged at
 * the first attempt exactly once), and in the lake after the next ingest, applied once.
 */
class WebhookDurabilitySlowIT {
    static final int DELIVERIES = 5000;
    static final int CLIENTS = 8;
    static final long FIRST_TASK = 9_100_000_000L;
    static final String SECRET = "/amocrm/hooks/7e6d5c4b3a2918f7e6d5c4b3a2918f70";

    @TempDir
    Path dir;

    /** The receiver's JVM. */
    final class Child {
        final Process process;
        final Path out;
        final long readyMillis;

        Child(int n, Map<String, String> config) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.amocrmetl.cli.EtlMain",
                    "webhooks",
                    "serve"));
            config.forEach((k, v) -> {
                cmd.add("--set");
                cmd.add(k + "=" + v);
            });
            out = dir.resolve("receiver-" + n + ".out");
            long started = System.nanoTime();
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            long deadline = System.currentTimeMillis() + 120_000;
            while (!text().contains("webhooks serve: ready")) {
                assertTrue(process.isAlive(), "the receiver exited: " + text());
                assertTrue(System.currentTimeMillis() < deadline, "the receiver did not start: " + text());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            readyMillis = (System.nanoTime() - started) / 1_000_000;
        }

        String text() throws IOException {
            return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        }

        void kill9() throws Exception {
            Process kill = new ProcessBuilder("kill", "-9", String.valueOf(process.pid()))
                    .inheritIO()
                    .start();
            assertEquals(0, kill.waitFor());
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, process.exitValue(), "killed by SIGKILL");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void everyAcknowledgedDeliverySurvivesKill9AndIsAppliedOnce() throws Exception {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(404).withLeads(20), dir)) {
            int port = freePort();
            String destination = "http://127.0.0.1:" + port + SECRET;
            h.config.put("webhooks.destination", destination);
            h.config.put("webhooks.listen", "127.0.0.1:" + port);
            h.config.put("webhooks.landing-path", dir.resolve("landing").toString());
            // Keeps the account the receiver accepts in the landing folder.
            assertEquals(
                    0,
                    WebhookSubscription.install(
                            EtlConfig.load(null, h.config), new PrintStream(new ByteArrayOutputStream())));
            var account = h.sandbox.groundTruth().account();
            Map<String, String> childConfig = new HashMap<>();
            for (String k : List.of(
                    "webhooks.destination",
                    "webhooks.listen",
                    "webhooks.landing-path",
                    "amocrm.base-url",
                    "amocrm.auth.long-lived-token",
                    "amocrm.auth.token-store")) {
                childConfig.put(k, h.config.get(k));
            }

            List<Child> children = new ArrayList<>();
            children.add(new Child(0, childConfig));
            AtomicInteger next = new AtomicInteger();
            AtomicInteger acked = new AtomicInteger();
            AtomicIntegerArray attempts = new AtomicIntegerArray(DELIVERIES);
            AtomicIntegerArray acknowledged = new AtomicIntegerArray(DELIVERIES);
            Object progress = new Object();
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(
                        () -> {
                            int i;
                            while ((i = next.getAndIncrement()) < DELIVERIES) {
                                String body = "task%5Bdelete%5D%5B0%5D%5Bid%5D=" + (FIRST_TASK + i)
                                        + "&account%5Bsubdomain%5D="
                                        + URLEncoder.encode(account.subdomain(), StandardCharsets.UTF_8)
                                        + "&account%5Bid%5D=" + account.id();
                                while (true) {
                                    attempts.incrementAndGet(i);
                                    int status;
                                    try {
                                        status = http.send(
                                                        HttpRequest.newBuilder(URI.create(destination))
                                                                .timeout(Duration.ofSeconds(2))
                                                                .header(
                                                                        "Content-Type",
                                                                        "application/x-www-form-urlencoded")
                                                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.discarding())
                                                .statusCode();
                                    } catch (IOException e) {
                                        status = 0;
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                        return;
                                    }
                                    if (status >= 200 && status < 300) {
                                        acknowledged.set(i, 1);
                                        synchronized (progress) {
                                            acked.incrementAndGet();
                                            progress.notifyAll();
                                        }
                                        break;
                                    }
                                    // No 2xx: sent again, as amoCRM does (its schedule compressed to a short pause
                                    // while the receiver is down).
                                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                                }
                            }
                        },
                        "sender-" + c);
                clients.add(t);
                t.start();
            }
            for (int killAt : new int[] {1500, 3500}) {
                synchronized (progress) {
                    while (acked.get() < killAt) {
                        progress.wait(60_000);
                    }
                }
                Child running = children.get(children.size() - 1);
                running.kill9();
                System.out.printf("killed the receiver with kill -9 at %d acknowledged deliveries%n", acked.get());
                children.add(new Child(children.size(), childConfig));
            }
            for (Thread t : clients) {
                t.join(TimeUnit.MINUTES.toMillis(5));
                assertFalse(t.isAlive(), "a sender is stuck");
            }
            Child last = children.get(children.size() - 1);
            last.process.destroy(); // SIGTERM: a clean stop leaves its file ready
            assertTrue(last.process.waitFor(60, TimeUnit.SECONDS));
            assertTrue(last.text().contains("webhooks serve: stopped"), last.text());
            assertEquals(DELIVERIES, acked.get());

            // In the landing: every acknowledged delivery; those acknowledged at the first attempt once.
            LandingInbox inbox =
                    LandingInbox.read(EtlConfig.load(null, h.config).webhooks(), null, account.id());
            Map<Long, Integer> landed = new HashMap<>();
            for (LandingInbox.Landed d : inbox.deliveries()) {
                for (WebhookSignal s : d.signals()) {
                    landed.merge(Long.parseLong(s.key()), 1, Integer::sum);
                }
            }
            int retried = 0;
            int duplicates = 0;
            for (int i = 0; i < DELIVERIES; i++) {
                int n = landed.getOrDefault(FIRST_TASK + i, 0);
                assertTrue(n >= 1, "acknowledged delivery " + i + " is missing from the landing");
                if (attempts.get(i) == 1) {
                    assertEquals(1, n, "delivery " + i + ", acknowledged at its first attempt, landed " + n + " times");
                } else {
                    retried++;
                    duplicates += n - 1;
                }
            }
            assertEquals(DELIVERIES, landed.size(), "nothing landed that was not sent");
            String recovery = children.get(1).text() + children.get(2).text();
            System.out.printf(
                    "%d deliveries acknowledged, %d sent more than once, %d landed twice; %s%n",
                    acked.get(), retried, duplicates, inbox.summary());
            for (Child c : children) {
                System.out.printf(
                        "receiver %d ready %d ms after its JVM started%n", children.indexOf(c), c.readyMillis);
            }
            System.out.print(
                    recovery.lines().filter(l -> l.contains("listening")).reduce("", (a, b) -> a + b + "\n"));

            // In the lake after the next ingest: each once.
            h.run(new IngestJob.Options(List.of("tasks")));
            List<String> keys = new ArrayList<>();
            h.lake()
                    .read(Tables.DELETIONS, account.id())
                    .where("source = 'webhook' AND entity = 'tasks'")
                    .select("entity_key")
                    .collectAsList()
                    .forEach(r -> keys.add(r.getString(0)));
            assertEquals(DELIVERIES, keys.size(), "one _deletions row per delivery");
            Set<String> want = new HashSet<>();
            for (int i = 0; i < DELIVERIES; i++) {
                want.add(String.valueOf(FIRST_TASK + i));
            }
            assertEquals(want, new HashSet<>(keys));
            assertEquals(
                    0,
                    Files.list(dir.resolve("landing/account_id=" + account.id()).resolve("ready"))
                            .count(),
                    "applied files are archived");
        }
    }
}
