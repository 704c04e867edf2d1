package io.amocrmetl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.amocrmetl.core.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's Spark-free, network-free logic. */
class ClientLogicTest {

    @Test
    void aQuietLimiterStartsNothingForAWindow() throws Exception {
        RateLimiter l = new RateLimiter(6, 50);
        long before = System.nanoTime();
        l.quietForAWindow();
        l.answered(l.acquire());
        assertTrue(System.nanoTime() - before >= l.windowNanos(), "waited one window after the executors' reads");
    }

    @Test
    void retryDelaysGrowWithJitterAndHonourRetryAfterUpToTheCap() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10));
        assertEquals(500, p.delay(1, null, () -> 0.0).toMillis(), "half the cap at the bottom of the jitter");
        assertEquals(1000, p.delay(1, null, () -> 0.999999).toMillis(), 1);
        assertEquals(4000, p.delay(3, null, () -> 0.999999).toMillis(), 1);
        assertEquals(30_000, p.delay(12, null, () -> 0.999999).toMillis(), 1, "capped at maxDelay");
        assertTrue(p.delay(1, Duration.ofSeconds(7), () -> 0.0).toMillis() >= 7000, "never before retry_after");
        assertEquals(
                300_000, p.delay(1, Duration.ofSeconds(3600), () -> 0.0).toMillis(), "retry_after capped at 300 s");
        assertTrue(p.allows(4, Duration.ZERO, Duration.ofSeconds(1)));
        assertFalse(p.allows(5, Duration.ZERO, Duration.ofSeconds(1)), "attempts bounded");
        assertFalse(p.allows(1, Duration.ofMinutes(9), Duration.ofMinutes(2)), "total wait bounded");
    }

    @Test
    void sharesAreWholeNeverZeroAndNeverExceedTheBudget() {
        assertArrayEquals(new int[] {2, 2, 2}, RateLimiter.shares(6, 3));
        assertArrayEquals(new int[] {2, 2, 1, 1}, RateLimiter.shares(6, 4));
        assertArrayEquals(
                new int[] {1, 1, 1, 1, 1, 1, 1}, RateLimiter.shares(7, 20), "more parts than budget: 7 run at once");
        for (int budget = 1; budget <= 7; budget++) {
            for (int parts = 1; parts <= 30; parts++) {
                int[] s = RateLimiter.shares(budget, parts);
                assertTrue(java.util.Arrays.stream(s).sum() <= budget);
                assertTrue(java.util.Arrays.stream(s).allMatch(x -> x >= 1));
            }
        }
    }

    /**
     * Each thread's "arrival" is stamped anywhere between its acquire() and its answered(), as a
     * server's arrival lies between the send and the answer: no sliding second holds more than N of
     * them, whatever the scheduler did in between. Half the first requests land 600 ms late, as a
     * stalled thread's would (a limiter counting from the start lets the next second's requests
     * bunch with them); the rest after a random delay. The bound follows from the slots, not from
     * timing luck.
     */
    @Test
    void limiterKeepsAnySlidingSecondOfArrivalsWithinTheBudget() throws Exception {
        RateLimiter l = new RateLimiter(5, 0);
        List<Long> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            boolean stalls = t % 2 == 0;
            Thread th = new Thread(() -> {
                java.util.Random random =
                        new java.util.Random(Thread.currentThread().getId());
                for (int i = 0; i < 4; i++) {
                    try {
                        int slot = l.acquire();
                        Thread.sleep(stalls && i == 0 ? 600 : random.nextInt(40));
                        arrivals.add(System.nanoTime());
                        Thread.sleep(random.nextInt(40));
                        l.answered(slot);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        long[] s = arrivals.stream().mapToLong(Long::longValue).sorted().toArray();
        assertEquals(24, s.length);
        for (int i = 0; i + 5 < s.length; i++) {
            assertTrue(s[i + 5] - s[i] >= 1_000_000_000L, "6 arrivals inside one second at " + i);
        }
        assertTrue(l.waitedNanos() > 0);
    }

    /** A slot whose request is still unanswered is never reused, however long ago it started. */
    @Test
    void anUnansweredRequestHoldsItsSlot() throws Exception {
        RateLimiter l = new RateLimiter(1, 0);
        int slot = l.acquire();
        long[] started = new long[1];
        Thread next = new Thread(() -> {
            try {
                l.answered(l.acquire());
                started[0] = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        next.start();
        next.join(1_500);
        assertTrue(next.isAlive(), "the second request waits while the first is unanswered");
        long answeredAt = System.nanoTime();
        l.answered(slot);
        next.join();
        assertTrue(started[0] - answeredAt >= 1_000_000_000L, "it starts one window after the answer");
    }

    /** After a 429 every caller of the limiter waits until the pause ends, whatever its free slots. */
    @Test
    void aPauseHoldsEveryCallerUntilItEnds() throws Exception {
        RateLimiter l = new RateLimiter(
                5,
                ClientSettings.of("http://127.0.0.1:9", 5, Path.of("target/state"))
                        .rateMarginMillis());
        l.answered(l.acquire());
        long until = System.nanoTime() + 300_000_000L;
        l.pauseUntil(until);
        l.pauseUntil(until - 200_000_000L);
        long[] started = new long[2];
        Thread other = new Thread(() -> {
            try {
                l.answered(l.acquire());
                started[1] = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        l.answered(l.acquire());
        started[0] = System.nanoTime();
        other.join();
        assertTrue(
                started[0] >= until && started[1] >= until,
                "no start before the pause ends; an earlier pause does not shorten it");
    }

    @Test
    void redactionHidesSecretsInUrlsAndTokensInText() {
        assertEquals(
                "/oauth2/access_token?client_id=x&client_secret=***&code=***",
                Redaction.url("/oauth2/access_token?client_id=x&client_secret=s3cr3t&code=def50200abc"));
        assertEquals("/api/v4/leads?filter[id][]=1&limit=250", Redaction.url("/api/v4/leads?filter[id][]=1&limit=250"));
        String jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiI3YzNjOGIxZS01ZjBhIn0.c2lnbmF0dXJlMTIzNDU2Nzg";
        assertEquals("token *** leaked", Redaction.text("token " + jwt + " leaked"));
        assertEquals("refresh ***", Redaction.text("refresh def50200" + "0123456789abcdef0123456789abcdef"));
    }

    @Test
    void pageCheckJudgesRangesAndSets() {
        PageCheck c = new PageCheck(Map.of("updated_at", new long[] {100, 200}), Map.of("note_type", Set.of("common")));
        assertNull(c.violation(Map.of("id", "1", "updated_at", "100", "note_type", "common")));
        assertNull(c.violation(Map.of("id", "1", "updated_at", "200")), "bounds are inclusive; a missing field passes");
        assertTrue(c.violation(Map.of("id", "1", "updated_at", "99")).text().contains("updated_at=99 is outside"));
        assertTrue(c.violation(Map.of("id", "1", "note_type", "call_in")).text().contains("note_type=call_in"));
        assertTrue(c.fields().containsAll(Set.of("id", "updated_at", "note_type")));
    }

    /** The watcher sees top-level fields however the consumer reads them, and never reads past the item. */
    @Test
    void itemWatcherCapturesTopLevelFieldsOnly() throws Exception {
        String json = "[{\"id\":7,\"nested\":{\"updated_at\":1},\"updated_at\":150,\"name\":\"x\"},{\"id\":8}]";
        try (JsonParser p = PageReader.JSON.createParser(json)) {
            assertEquals(JsonToken.START_ARRAY, p.nextToken());
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            ItemWatcher w = new ItemWatcher(p, Set.of("id", "updated_at"));
            assertEquals("id", w.nextFieldName());
            assertEquals(7, w.nextLongValue(-1));
            assertEquals("nested", w.nextFieldName());
            w.nextToken();
            w.skipChildren();
            w.finish();
            assertEquals(Map.of("id", "7", "updated_at", "150"), w.seen());
            assertTrue(w.finished());
            assertNull(w.nextToken(), "nothing past the item's end");
            assertEquals(JsonToken.START_OBJECT, p.nextToken(), "the next item is untouched");
        }
    }

    @Test
    void settingsRefuseUnsafeUrlsAndRates() {
        Path dir = Path.of("target/state");
        AmoApiException http =
                assertThrows(AmoApiException.class, () -> ClientSettings.of("http://example.amocrm.ru", 6, dir));
        assertTrue(http.getMessage().contains("https"));
        assertEquals(ExitCode.BAD_CONFIG, http.exitCode());
        assertTrue(assertThrows(AmoApiException.class, () -> ClientSettings.of("https://x.amocrm.ru", 8, dir))
                .getMessage()
                .contains("1..7"));
        assertTrue(assertThrows(
                        AmoApiException.class,
                        () -> ClientSettings.of("https://x.amocrm.ru", 6, dir).withUnlimited(true))
                .getMessage()
                .contains("loopback"));
        assertEquals(
                "http://127.0.0.1:9",
                ClientSettings.of("http://127.0.0.1:9/", 6, dir).baseUrl());
        ClientSettings.of("http://127.0.0.1:9", 6, dir).withUnlimited(true);
    }

    @Test
    void tokenStoreWritesAtomicallyWithMode0600(@TempDir Path dir) throws Exception {
        TokenStore store = new TokenStore(dir.resolve("tokens/account.json"));
        assertNull(store.read());
        TokenPair pair = new TokenPair(
                "access-1", "refresh-1", Instant.ofEpochSecond(2_000_000_000L), Instant.ofEpochSecond(1_900_000_000L));
        store.write(pair);
        assertEquals(pair, store.read());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertFalse(pair.toString().contains("access-1") || pair.toString().contains("refresh-1"), pair.toString());
        try (var files = Files.list(store.file().getParent())) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".tmp")), "no temp file left");
        }
        assertEquals("x", store.locked(() -> "x"));
    }

    @Test
    void pageSizesFollowTheEndpoint() {
        assertEquals(250, PageSizes.of("/api/v4/leads"));
        assertEquals(100, PageSizes.of("/api/v4/events"));
        assertEquals(50, PageSizes.of("/api/v4/contacts/custom_fields"));
        assertEquals(
                "/api/v4/events?limit=100&filter[type][]=lead_status_changed",
                ListRequest.of("/api/v4/events", "events")
                        .in("type", List.of("lead_status_changed"))
                        .pathAndQuery());
    }

    @Test
    void blockStatePersistsAndExpires(@TempDir Path dir) {
        BlockState b = new BlockState(dir);
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        assertNull(b.blockedUntil(now));
        b.block(now.plusSeconds(3600));
        assertEquals(now.plusSeconds(3600), new BlockState(dir).blockedUntil(now), "another instance sees it");
        assertNull(b.blockedUntil(now.plusSeconds(3601)), "over once the time has passed");
    }
}
