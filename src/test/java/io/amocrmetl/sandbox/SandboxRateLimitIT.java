package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.sandbox.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rate limits and blocks as docs/amocrm-api.md §5 describes them. */
class SandboxRateLimitIT {
    Sandbox sandbox;
    ApiWalker api;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withLeads(50));
        sandbox.limits().retryAfterSeconds = 1;
        api = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    /**
     * The 8th request start inside one sliding window gets 429 problem+json with retry_after. The
     * window is widened to a minute so that the 8 calls fall inside it however loaded the machine
     * is; the one-second arithmetic is {@link #concurrentBurstNeverServesMoreThanNPerSecond}'s.
     */
    @Test
    void eighthRequestInsideOneWindowGets429() {
        sandbox.limits().windowMillis = 60_000;
        List<Integer> statuses = new ArrayList<>();
        ApiWalker.Response limited = null;
        for (int i = 0; i < 8; i++) {
            ApiWalker.Response r = api.get("/api/v4/account");
            statuses.add(r.status());
            limited = r;
        }
        assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 429), statuses);
        assertEquals("application/problem+json", limited.header("Content-Type"));
        assertEquals(429, limited.json().get("status").asInt());
        assertEquals(1, limited.json().get("retry_after").asInt());
        assertEquals(1, sandbox.limits().limitedCount());
    }

    /** K 429s within the window bring the block: every request then gets 403 nginx HTML. */
    @Test
    void repeated429sBringTheHtmlBlock() {
        sandbox.limits().windowMillis = 60_000; // the 7 calls fall in one window, however slow
        sandbox.limits().requestsPerSecond = 2;
        sandbox.limits().blockAfter429s = 3;
        sandbox.limits().blockCooldownMillis = 600_000;
        List<Integer> statuses = new ArrayList<>();
        ApiWalker.Response last = null;
        for (int i = 0; i < 7; i++) {
            last = api.get("/api/v4/leads?limit=1");
            statuses.add(last.status());
        }
        assertEquals(List.of(200, 200, 429, 429, 429, 403, 403), statuses);
        assertTrue(last.header("Content-Type").startsWith("text/html"));
        assertTrue(new String(last.body()).contains("<center>nginx</center>"));
        assertTrue(sandbox.limits().isBlocked());
        // Token calls are blocked too: the block is on the caller, not the endpoint.
        assertEquals(
                403,
                api.send(java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(sandbox.baseUrl() + "/oauth2/access_token"))
                                .header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")))
                        .status());
        sandbox.limits().reset();
        assertFalse(sandbox.limits().isBlocked());
        assertEquals(200, api.get("/api/v4/account").status(), "support lifted the block");
    }

    /** A permission 403 is problem+json, unlike the block (docs/amocrm-api.md §5.2, §5.3). */
    @Test
    void permission403IsProblemJson() {
        User nonAdmin = sandbox.groundTruth().users().stream()
                .filter(u -> !u.isAdmin())
                .findFirst()
                .orElseThrow();
        sandbox.oauth().addLongLivedToken("non-admin-token", nonAdmin.id());
        ApiWalker user = new ApiWalker(sandbox.baseUrl(), "non-admin-token");
        ApiWalker.Response users = user.get("/api/v4/users");
        assertEquals(403, users.status());
        assertEquals("application/problem+json", users.header("Content-Type"));
        assertEquals(403, users.json().get("status").asInt());
        assertEquals(403, user.get("/api/v4/webhooks").status());
        assertEquals(200, user.get("/api/v4/leads?limit=1").status(), "a non-admin still reads leads");
        assertEquals(
                nonAdmin.id(),
                user.get("/api/v4/account").json().get("current_user_id").asLong());
        assertFalse(sandbox.limits().isBlocked());
    }

    /**
     * Under a burst from many threads, no sliding second ever holds more than N answered
     * requests: every arrival counts, refused ones too.
     */
    @Test
    void concurrentBurstNeverServesMoreThanNPerSecond() throws Exception {
        sandbox.limits().blockAfter429s = 1_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        api.get("/api/v4/account");
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<RequestRecord> served = sandbox.requests().snapshot().stream()
                .filter(r -> r.status() == 200)
                .toList();
        assertTrue(
                RequestLog.busiestWindow(served, 1_000_000_000L) <= 7,
                "busiest second served " + RequestLog.busiestWindow(served, 1_000_000_000L));
        assertTrue(sandbox.limits().limitedCount() > 0, "the burst must have been limited");
        assertEquals(100, sandbox.requests().snapshot().size());
    }

    @Test
    void limitsCanBeSetOverTheControlApi() {
        try (Sandbox sb = Sandbox.start(SandboxSettings.defaults().withLeads(20).withControlHttp(true))) {
            ApiWalker a = new ApiWalker(sb.baseUrl(), sb.settings().token());
            var r = a.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(sb.baseUrl() + "/_sandbox/limits?rps=3&retry_after=2"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, r.status());
            assertEquals(3, sb.limits().requestsPerSecond);
            assertEquals(
                    List.of(200, 200, 200, 429),
                    List.of(
                            a.get("/api/v4/account").status(),
                            a.get("/api/v4/account").status(),
                            a.get("/api/v4/account").status(),
                            a.get("/api/v4/account").status()));
        }
    }
}
