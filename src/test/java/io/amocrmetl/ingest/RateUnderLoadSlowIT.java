package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.RequestRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget holds where amoCRM counts it, at the server, on a machine whose cores are busy with
 * something else: a historical load (its estimate's burst of sample requests, the reference
 * loads, many small windows) at the sandbox's own limit of 7 a second, beside threads that keep
 * every core spinning, with OAuth tokens that expire mid-load, so a token refresh is among the
 * requests. Scheduler delays then bunch arrivals at the server; the limiter's slots,
 * held until one window after each answer, keep any second at 7 or fewer whatever the delays
 * (docs/api-client.md#it-never-exceeds-the-rate). A slow-tier class: its spinning threads would
 * slow the other tests of a shared JVM.
 */
class RateUnderLoadSlowIT {
    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aHistoricalLoadBesideBusyCoresNeverPassesTheRateAtTheServer() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> spinners = new ArrayList<>();
        try (LakeHarness h = HistoricalLoadIT.harness(dir, 67)) {
            h.config.remove("amocrm.auth.long-lived-token");
            h.config.put("amocrm.auth.client-id", Sandbox.CLIENT_ID);
            h.config.put("amocrm.auth.client-secret", Sandbox.CLIENT_SECRET);
            h.config.put("amocrm.auth.redirect-uri", Sandbox.REDIRECT_URI);
            // The code exchange is the user's `auth exchange`, before the run and its limits.
            HistoricalLoadIT.connect(h);
            h.sandbox.requests().clear();
            h.config.remove("amocrm.rate-limit.unlimited");
            h.config.put("amocrm.rate-limit.requests-per-second", "7");
            h.sandbox.limits().enabled = true;
            h.sandbox.limits().requestsPerSecond = 7;
            h.sandbox.limits().retryAfterSeconds = 1;
            h.run(); // the first run, before the load the test is about
            for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
                Thread t = new Thread(() -> {
                    long x = 0;
                    while (!done.get()) {
                        x += System.nanoTime() % 7;
                    }
                    if (x == 42) {
                        System.out.print("");
                    }
                });
                t.setDaemon(true);
                t.start();
                spinners.add(t);
            }
            Instant from = h.sandbox.clock().now().minus(Duration.ofDays(182));
            h.sandbox.faults().mutateAfterPage("/api/v4/leads", 3, h.sandbox.oauth()::expireAccessTokens);
            assertNull(h.run(new IngestJob.Options(null, from, null, false, null, null))
                    .partial());
            done.set(true);
            List<RequestRecord> log = h.sandbox.requests().snapshot();
            int busiest = RequestLog.busiestWindow(log, SECOND);
            System.out.printf(
                    "historical load beside %d spinning threads: %d requests (a token refresh), busiest second %d, 429s %d%n",
                    spinners.size(), log.size(), busiest, h.sandbox.limits().limitedCount());
            assertTrue(log.size() > 40, "a load of many requests: " + log.size());
            assertEquals(1, h.sandbox.oauth().refreshCount(), "a token refresh among them");
            assertTrue(log.stream().anyMatch(r -> r.target().startsWith("/oauth2/access_token")));
            assertTrue(busiest <= 7, "busiest second at the server: " + busiest);
            assertEquals(0, h.sandbox.limits().limitedCount(), "no 429");
        } finally {
            done.set(true);
            for (Thread t : spinners) {
                t.join();
            }
        }
    }
}
