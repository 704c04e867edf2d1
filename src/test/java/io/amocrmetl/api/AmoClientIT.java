package io.amocrmetl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.cli.ExitCode;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API client against the sandbox over real HTTP (issue "API client", done-means 1–8). */
class AmoClientIT {
    @TempDir
    Path dir;
    Sandbox sandbox;
    LogCapture logs;
    final List<String> secrets = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(21).withLeads(300).withToken("llt-" + System.nanoTime()));
        sandbox.limits().retryAfterSeconds = 1;
        secrets.add(sandbox.settings().token());
        logs = new LogCapture();
    }

    /** done-means 8: no token appears in any captured log line or exception of these tests. */
    @AfterEach
    void stop() {
        logs.close();
        sandbox.close();
        String text = logs.text() + errors.stream().map(AmoClientIT::describe).reduce("", String::concat);
        for (String s : secrets) {
            assertFalse(text.contains(s), "a token leaked into logs or exceptions");
        }
    }

    private static String describe(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    private ClientSettings settings(int rps) {
        return ClientSettings.of(sandbox.baseUrl(), rps, dir.resolve("state"))
                .withRetry(new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMinutes(1)));
    }

    /** Each client gets its own limiter here: tests must not share one across sandboxes. */
    private AmoClient client(int rps, AuthProvider auth) {
        return new AmoClient(settings(rps), auth, new RateLimiter(rps, 100));
    }

    private AmoClient longLived(int rps) {
        return client(rps, new LongLivedToken(sandbox.settings().token()));
    }

    /** Collects ids; a page's items count only once the page ends. */
    static final class Ids implements PageConsumer {
        final List<Long> committed = new ArrayList<>();
        final List<Long> pending = new ArrayList<>();
        int aborted;

        @Override
        public void beginPage(int page) {
            pending.clear();
        }

        @Override
        public void item(JsonParser p) throws java.io.IOException {
            while (p.nextToken() != JsonToken.END_OBJECT) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if ("id".equals(f)) {
                    pending.add(p.getLongValue());
                } else if (v.isStructStart()) {
                    p.skipChildren();
                }
            }
        }

        @Override
        public void endPage(int page, int items) {
            committed.addAll(pending);
            pending.clear();
        }

        @Override
        public void abortPage(int page) {
            aborted++;
            pending.clear();
        }
    }

    @Test
    void walksEveryPageToTheConsumer() {
        AmoClient c = longLived(7);
        sandbox.limits().enabled = false;
        Ids ids = new Ids();
        long n = c.walk(new ListRequest("/api/v4/leads", "leads", 50).param("order[id]", "asc"), ids);
        List<Long> expected = sandbox.groundTruth().leads().live().stream().map(Lead::id).toList();
        assertEquals(expected, ids.committed);
        assertEquals(300, n);
        assertEquals(6, c.metrics().pages());
        assertTrue(c.metrics().bytes() > 10_000);
        assertTrue(c.firstServerDate() != null);
    }

    /** done-means 1: 4 threads, 120 requests at 6 rps; the sandbox saw at most 6 starts in any second. */
    @Test
    void fourThreadsStayWithinTheRate() throws Exception {
        AmoClient c = longLived(6);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        c.getObject("/api/v4/account");
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<RequestRecord> log = sandbox.requests().snapshot();
        assertEquals(120, log.size());
        assertTrue(RequestLog.busiestWindow(log, 1_000_000_000L) <= 6, "busiest second: " + RequestLog.busiestWindow(log, 1_000_000_000L));
        assertEquals(0, sandbox.limits().limitedCount(), "no 429");
        assertEquals(0, c.metrics().tooManyRequests());
    }

    /** done-means 2: the server allows fewer than the client sends; the client backs off and finishes. */
    @Test
    void a429StormCompletesWithoutTheBlock() {
        sandbox.limits().requestsPerSecond = 3;
        sandbox.limits().blockAfter429s = 10;
        AmoClient c = client(6, new LongLivedToken(sandbox.settings().token()));
        for (int i = 0; i < 25; i++) {
            assertEquals(sandbox.groundTruth().account().id(), c.getObject("/api/v4/account").get("id").asLong());
        }
        assertTrue(c.metrics().tooManyRequests() > 0, "the storm happened");
        assertEquals(0, sandbox.limits().blockedCount(), "never reached the block");
        assertFalse(sandbox.limits().isBlocked());
    }

    /** done-means 3 (in-process part): one block stops the client, and blocked_until is on disk. */
    @Test
    void aBlockStopsTheClientAfterThatOneRequest() {
        sandbox.limits().requestsPerSecond = 1;
        sandbox.limits().blockAfter429s = 1;
        sandbox.limits().blockCooldownMillis = 600_000;
        sandbox.webhooks();
        AmoClient c = longLived(7);
        BlockedException e = assertThrows(BlockedException.class, () -> {
            for (int i = 0; i < 10; i++) {
                c.getObject("/api/v4/account");
            }
        });
        errors.add(e);
        assertEquals(ExitCode.BLOCKED, e.exitCode());
        List<RequestRecord> log = sandbox.requests().snapshot();
        assertEquals(403, log.get(log.size() - 1).status(), "the block's 403 was the last request sent");
        assertTrue(Files.exists(dir.resolve("state/blocked_until")));
        long sent = sandbox.requests().total();
        AmoClient another = longLived(7);
        BlockedException again = assertThrows(BlockedException.class, () -> another.getObject("/api/v4/account"));
        errors.add(again);
        assertEquals(sent, sandbox.requests().total(), "a second client sends nothing before blocked_until");
        assertTrue(again.getMessage().contains("blocked_until") || again.getMessage().contains("no request is sent"));
    }

    @Test
    void aPermission403IsNotABlock() {
        var nonAdmin = sandbox.groundTruth().users().stream().filter(u -> !u.isAdmin()).findFirst().orElseThrow();
        sandbox.oauth().addLongLivedToken("non-admin-llt", nonAdmin.id());
        secrets.add("non-admin-llt");
        AmoClient c = client(7, new LongLivedToken("non-admin-llt"));
        AmoApiException e = assertThrows(AmoApiException.class, () -> c.getObject("/api/v4/users"));
        errors.add(e);
        assertEquals(403, e.status());
        assertEquals(ExitCode.AUTH, e.exitCode());
        assertTrue(e.getMessage().contains("GET /api/v4/users") && e.getMessage().contains("permission"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("state/blocked_until")));
    }

    private OAuthTokens connect(Path storeFile) {
        TokenStore store = new TokenStore(storeFile);
        AmoClient bootstrap = longLived(7);
        Map<String, String> grant = io.amocrmetl.testing.SandboxOAuth.codeGrant(sandbox);
        JsonNode resp = bootstrap.tokenEndpoint().post(grant);
        TokenPair pair = OAuthTokens.fromResponse(resp, Instant.now());
        secrets.add(pair.accessToken());
        secrets.add(pair.refreshToken());
        store.write(pair);
        return new OAuthTokens(store, Sandbox.CLIENT_ID, Sandbox.CLIENT_SECRET, Sandbox.REDIRECT_URI, Clock.systemUTC());
    }

    /** done-means 4: a 401 mid-run brings exactly one refresh; the rotated pair is on disk, 0600. */
    @Test
    void a401MidRunRefreshesOnceAndStoresTheRotatedPair() throws Exception {
        sandbox.limits().enabled = false;
        Path storeFile = dir.resolve("tokens.json");
        OAuthTokens tokens = connect(storeFile);
        TokenPair before = new TokenStore(storeFile).read();
        sandbox.faults().mutateAfterPage("/api/v4/leads", 2, sandbox.oauth()::expireAccessTokens);
        AmoClient c = client(7, tokens);
        Ids ids = new Ids();
        c.walk(new ListRequest("/api/v4/leads", "leads", 50), ids);
        assertEquals(300, ids.committed.size());
        assertEquals(1, sandbox.oauth().refreshCount(), "exactly one refresh");
        assertEquals(1, c.metrics().refreshes());
        TokenPair after = new TokenStore(storeFile).read();
        secrets.add(after.accessToken());
        secrets.add(after.refreshToken());
        assertNotEquals(before.refreshToken(), after.refreshToken(), "rotated");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storeFile)));
        assertEquals(1, sandbox.requests().snapshot().stream().filter(r -> r.status() == 401).count());
    }

    /** done-means 5 (threads): refreshers racing over one store leave a valid pair and lock nobody out. */
    @Test
    void concurrentRefreshersLeaveAValidPair() throws Exception {
        sandbox.limits().enabled = false;
        Path storeFile = dir.resolve("tokens.json");
        connect(storeFile);
        sandbox.oauth().expireAccessTokens();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<JsonNode>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                OAuthTokens own = new OAuthTokens(new TokenStore(storeFile), Sandbox.CLIENT_ID, Sandbox.CLIENT_SECRET,
                        Sandbox.REDIRECT_URI, Clock.systemUTC());
                AmoClient c = client(7, own);
                fs.add(pool.submit(() -> c.getObject("/api/v4/account")));
            }
            for (Future<JsonNode> f : fs) {
                assertEquals(sandbox.groundTruth().account().id(), f.get().get("id").asLong());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, sandbox.oauth().refreshCount(), "the second refresher used the pair the first stored");
        TokenPair onDisk = new TokenStore(storeFile).read();
        secrets.add(onDisk.accessToken());
        secrets.add(onDisk.refreshToken());
        OAuthTokens later = new OAuthTokens(new TokenStore(storeFile), Sandbox.CLIENT_ID, Sandbox.CLIENT_SECRET,
                Sandbox.REDIRECT_URI, Clock.systemUTC());
        assertTrue(later.refreshAfter401(onDisk.accessToken(), longLived(7).tokenEndpoint()), "the stored refresh token still works");
    }

    /** done-means 6: with filters ignored, a filtered walk stops on its first page, after at most 2 requests. */
    @Test
    void ignoredFiltersStopTheWalkOnTheFirstPage() {
        sandbox.limits().enabled = false;
        sandbox.fidelity().honourFilters = false;
        List<Long> updated = sandbox.groundTruth().leads().live().stream().map(Lead::updatedAt).sorted().toList();
        long from = updated.get(200);
        AmoClient c = longLived(7);
        Ids ids = new Ids();
        AmoApiException e = assertThrows(AmoApiException.class, () -> c.walk(new ListRequest("/api/v4/leads", "leads", 50)
                .range("updated_at", from, null).param("order[updated_at]", "asc"), ids));
        errors.add(e);
        assertTrue(sandbox.requests().total() <= 2, "requests: " + sandbox.requests().total());
        assertTrue(ids.committed.isEmpty(), "nothing of the bad page counts");
        assertTrue(e.getMessage().contains("/api/v4/leads") && e.getMessage().contains("page 1")
                && e.getMessage().contains("updated_at") && e.getMessage().contains("is_api_filter_enabled"), e.getMessage());
    }

    /** done-means 7: a page cut off mid-JSON fails naming the endpoint and page, after the retries allowed. */
    @Test
    void aTruncatedPageFailsNamingEndpointAndPageAfterRetries() {
        sandbox.limits().enabled = false;
        sandbox.faults().cutBody("/api/v4/contacts", 0);
        AmoClient c = longLived(7);
        Ids ids = new Ids();
        AmoApiException e = assertThrows(AmoApiException.class, () -> c.walk(new ListRequest("/api/v4/contacts", "contacts", 250), ids));
        errors.add(e);
        assertTrue(e.getMessage().contains("GET /api/v4/contacts?limit=250 (page 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("after 4 attempts"), e.getMessage());
        assertEquals(4, sandbox.requests().total());
        assertTrue(ids.committed.isEmpty());
        assertEquals(3, ids.aborted, "each failed attempt's items were dropped");
    }

    /** A page that breaks once is read again, and its items count once. */
    @Test
    void aPageCutOnceIsReadAgainAndCountedOnce() {
        sandbox.limits().enabled = false;
        sandbox.faults().cutBody("/api/v4/leads", 2).failNth("/api/v4/leads", 4, 502).reset("/api/v4/leads", 5);
        AmoClient c = longLived(7);
        Ids ids = new Ids();
        c.walk(new ListRequest("/api/v4/leads", "leads", 100), ids);
        assertEquals(sandbox.groundTruth().leads().live().stream().map(Lead::id).toList(), ids.committed);
        assertEquals(new HashSet<>(ids.committed).size(), ids.committed.size());
        assertEquals(3, c.metrics().retries());
    }

    @Test
    void aServerIgnoringPagingStopsTheWalkInsteadOfLooping() {
        sandbox.limits().enabled = false;
        sandbox.faults().ignorePaging("/api/v4/tasks");
        AmoClient c = longLived(7);
        Ids ids = new Ids();
        AmoApiException e = assertThrows(AmoApiException.class, () -> c.walk(new ListRequest("/api/v4/tasks", "tasks", 100), ids));
        errors.add(e);
        assertTrue(e.getMessage().contains("(page 2) repeats the previous page"), e.getMessage());
        assertEquals(2, sandbox.requests().total());
        assertEquals(100, ids.committed.size(), "page 1 counted, the repeat did not");
    }
}
