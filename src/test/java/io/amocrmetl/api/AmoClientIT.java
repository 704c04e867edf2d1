package io.amocrmetl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.Faults;
import io.amocrmetl.sandbox.http.RateLimits;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.testing.LogCapture;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The API client against the sandbox over real HTTP (docs/api-client.md). */
// Alone in the IT JVM: it captures every logger at DEBUG (LogCapture) (docs/testing.md, "CI budget").
@Isolated
class AmoClientIT {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    Sandbox sandbox;
    LogCapture logs;
    /** Every secret these tests handle: the leak check looks for each in everything captured. */
    final List<String> secrets = new CopyOnWriteArrayList<>();

    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    /** Objects whose toString() must not show a secret either. */
    final List<Object> shown = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        sandbox = newSandbox();
        secrets.add(sandbox.settings().token());
        secrets.add(Sandbox.CLIENT_SECRET);
        logs = new LogCapture();
    }

    private static Sandbox newSandbox() {
        Sandbox s = Sandbox.start(
                SandboxSettings.defaults().withSeed(21).withLeads(300).withToken("llt-" + System.nanoTime()));
        s.limits().retryAfterSeconds = 1;
        return s;
    }

    /**
     * No secret (the long-lived token, the OAuth client secret, authorization codes,
     * every access and refresh token handed out) appears in any captured log line (Log4j at DEBUG,
     * java.util.logging), in System.err or System.out, in any exception of these tests (stack trace
     * with causes), or in a client's or token pair's toString().
     */
    @AfterEach
    void stop() {
        logs.close();
        sandbox.close();
        StringBuilder text = new StringBuilder(logs.text());
        errors.forEach(e -> text.append(describe(e)));
        shown.forEach(o -> text.append(o).append('\n'));
        assertTrue(secrets.size() >= 2);
        for (int i = 0; i < secrets.size(); i++) {
            String s = secrets.get(i);
            assertTrue(s != null && s.length() >= 8, "secret #" + i + " is a real value");
            assertFalse(
                    text.toString().contains(s),
                    "secret #" + i + " (of " + secrets.size() + ") leaked into logs, "
                            + "stderr/stdout, exceptions or toString()");
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

    /**
     * A client with a limiter of its own (the production margin): tests other than the limiter's
     * do not depend on the JVM-shared one. The rate tests use the production constructor.
     */
    private AmoClient client(int rps, AuthProvider auth) {
        ClientSettings s = settings(rps);
        AmoClient c = new AmoClient(s, auth, new RateLimiter(rps, s.rateMarginMillis()));
        shown.add(c);
        return c;
    }

    private AmoClient longLived(int rps) {
        return client(rps, new LongLivedToken(sandbox.settings().token()));
    }

    /** As the product builds it: ClientSettings.of defaults and the JVM-shared limiter of its base URL. */
    private AmoClient production(int rps) {
        AmoClient c = new AmoClient(
                ClientSettings.of(sandbox.baseUrl(), rps, dir.resolve("state")),
                new LongLivedToken(sandbox.settings().token()));
        shown.add(c);
        return c;
    }

    /**
     * The JVM-shared limiter is keyed by base URL; a sandbox's port is new, but the OS may hand out
     * a port an earlier test (of any class in this JVM) used. Swap the sandbox until no limiter
     * exists for its URL, so the test measures a limiter of its own.
     */
    private void freshSharedLimiter() {
        while (RateLimiter.existing(sandbox.baseUrl()) != null) {
            Sandbox old = sandbox;
            sandbox = newSandbox();
            old.close();
            secrets.add(sandbox.settings().token());
        }
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

    /** Wraps a provider so that every grant sent and every pair handed out joins the secrets. */
    final class Recording implements AuthProvider {
        private final AuthProvider inner;

        Recording(AuthProvider inner) {
            this.inner = inner;
            shown.add(inner);
        }

        @Override
        public String accessToken(TokenEndpoint endpoint) {
            return inner.accessToken(recorded(endpoint));
        }

        @Override
        public String accessToken(TokenEndpoint endpoint, Duration minValidity) {
            return inner.accessToken(recorded(endpoint), minValidity);
        }

        @Override
        public boolean refreshAfter401(String rejected, TokenEndpoint endpoint) {
            return inner.refreshAfter401(rejected, recorded(endpoint));
        }

        @Override
        public String toString() {
            return inner.toString();
        }
    }

    /** A token endpoint that adds the grant's secrets and the pair it answers to the secrets. */
    private AuthProvider.TokenEndpoint recorded(AuthProvider.TokenEndpoint endpoint) {
        return grant -> {
            for (String k : List.of("client_secret", "code", "refresh_token")) {
                if (grant.get(k) != null) {
                    secrets.add(grant.get(k));
                }
            }
            JsonNode resp = endpoint.post(grant);
            for (String k : List.of("access_token", "refresh_token")) {
                if (resp.hasNonNull(k)) {
                    secrets.add(resp.get(k).asText());
                }
            }
            return resp;
        };
    }

    /** The leak check's own net: the capture it reads does see each kind of output. */
    @Test
    void theCaptureSeesProductDebugLinesJulAndStderr() {
        String mark = "capture-check-" + System.nanoTime();
        org.slf4j.LoggerFactory.getLogger(AmoClient.class).debug("{} via slf4j at DEBUG", mark);
        java.util.logging.Logger.getLogger("okhttp3.OkHttpClient").warning(mark + " via java.util.logging");
        System.err.println(mark + " on stderr");
        String text = logs.text();
        assertTrue(text.contains(mark + " via slf4j at DEBUG"), "a product logger's DEBUG line");
        assertTrue(text.contains(mark + " via java.util.logging"), "OkHttp's logging");
        assertTrue(logs.stderr().contains(mark + " on stderr"), "System.err");
        assertTrue(logs.lines().stream()
                .anyMatch(l -> l.message().contains(mark) && l.logger().equals(AmoClient.class.getName())));
    }

    @Test
    void walksEveryPageToTheConsumer() {
        AmoClient c = longLived(7);
        sandbox.limits().enabled = false;
        Ids ids = new Ids();
        long n = c.walk(new ListRequest("/api/v4/leads", "leads", 50).param("order[id]", "asc"), ids);
        List<Long> expected =
                sandbox.groundTruth().leads().live().stream().map(Lead::id).toList();
        assertEquals(expected, ids.committed);
        assertEquals(300, n);
        assertEquals(6, c.metrics().pages());
        assertEquals(0, ids.aborted);
        assertTrue(c.metrics().bytes() > 10_000);
        assertTrue(c.firstServerDate() != null);
    }

    /**
     * A 429's wait is read from wherever the answer puts it: amoCRM's JSON retry_after, the HTTP
     * Retry-After header in seconds or as a date (read against the answer's own Date). The retry
     * starts no sooner, on the sandbox's own clock.
     */
    @ParameterizedTest
    @EnumSource(
            value = RateLimits.RetryHint.class,
            names = {"BODY", "HEADER_SECONDS", "HEADER_DATE"})
    void a429IsWaitedOutWhereverItSaysHowLong(RateLimits.RetryHint hint) {
        sandbox.limits().retryHint = hint;
        sandbox.limits().retryAfterSeconds = 3; // longer than the 1 s a 429 without JSON once got
        sandbox.faults().failNth("/api/v4/account", 1, 429);
        AmoClient c = longLived(6);
        assertEquals(
                sandbox.groundTruth().account().id(),
                c.getObject("/api/v4/account").get("id").asLong());
        List<RequestRecord> log = sandbox.requests().snapshot();
        assertEquals(List.of(429, 200), log.stream().map(RequestRecord::status).toList());
        long waited = log.get(1).startNanos() - log.get(0).startNanos();
        long asked = (hint == RateLimits.RetryHint.HEADER_DATE ? 2 : 3) * SECOND; // a date has whole seconds
        assertTrue(waited >= asked, hint + ": retried after " + waited / 1_000_000 + " ms");
        assertTrue(
                logs.text().contains(hint == RateLimits.RetryHint.BODY ? "(retry_after 3 s)" : "(Retry-After "),
                logs.text());
    }

    /** A 429 that says nothing gets amoCRM's documented 300 s, not a quick retry; past the retry budget the run exits 4 saying when to run again. */
    @Test
    void a429ThatSaysNothingIsNotRetriedQuickly() {
        sandbox.limits().retryHint = RateLimits.RetryHint.NONE;
        sandbox.faults().failNth("/api/v4/account", 1, 429);
        AmoClient c = longLived(6);
        AmoApiException e = assertThrows(AmoApiException.class, () -> c.getObject("/api/v4/account"));
        assertTrue(e.getMessage().contains("no retry_after: amoCRM's documented 300 s"), e.getMessage());
        assertEquals(1, sandbox.requests().snapshot().size(), "not sent again within the run's retry budget");
        // Exit 4, with when to run again; the pause is recorded for every process of this host.
        assertEquals(ExitCode.BLOCKED, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("run again after then"), e.getMessage());
        assertTrue(e.getMessage().contains("cool_down_until"), e.getMessage());
    }

    /**
     * 4 threads, one production client each (ClientSettings.of, the JVM-shared
     * limiter), 120 requests at the default 6 rps: the sandbox saw at most 6 starts in any sliding
     * second and answered no 429. Four clients with limiters of their own would send 24 a second.
     */
    @Test
    void fourThreadsStayWithinTheRate() throws Exception {
        freshSharedLimiter();
        List<AmoClient> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            clients.add(production(6));
        }
        long account = sandbox.groundTruth().account().id();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (AmoClient c : clients) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        assertEquals(
                                account,
                                c.getObject("/api/v4/account").get("id").asLong());
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        List<RequestRecord> log = sandbox.requests().snapshot();
        assertEquals(120, log.size());
        assertTrue(log.stream().allMatch(r -> r.status() == 200), "every request answered 200");
        int busiest = RequestLog.busiestWindow(log, SECOND);
        assertTrue(busiest <= 6, "busiest sliding second at the sandbox: " + busiest);
        assertEquals(0, sandbox.limits().limitedCount(), "no 429");
        RateLimiter shared = RateLimiter.existing(sandbox.baseUrl());
        assertNotNull(shared, "the two-argument constructor registered the JVM-shared limiter");
        assertEquals(6, shared.perSecond());
        for (AmoClient c : clients) {
            assertEquals(30, c.metrics().requests());
            assertEquals(0, c.metrics().tooManyRequests());
            assertEquals(
                    shared.waitedNanos() / 1_000_000, c.limiterWaitMillis(), "every client waits on the one limiter");
        }
        assertTrue(
                shared.waitedNanos() > 10 * SECOND,
                "120 requests at 6/s kept callers waiting: " + shared.waitedNanos());
    }

    /**
     * Three requests in a row reach the sandbox 1.2 s after they were sent (a slow network, a
     * stalled sender), while seven other threads keep the shared limiter busy. A limiter that
     * counted each request from its start would let the next second's requests land beside the
     * late ones (9 in a second at the sandbox, and 429s); one that holds each slot until a window
     * after the answer keeps every second at 6 (docs/api-client.md#it-never-exceeds-the-rate).
     */
    @Test
    void lateArrivalsDoNotBunchAtTheServer() throws Exception {
        freshSharedLimiter();
        for (int nth = 20; nth <= 22; nth++) {
            sandbox.faults().lateArrival("/api/v4/account", nth, 1_200);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                AmoClient c = production(6);
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 8; i++) {
                        assertNotNull(c.getObject("/api/v4/account"));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        List<RequestRecord> log = sandbox.requests().snapshot();
        assertEquals(0, sandbox.limits().limitedCount(), "no 429");
        assertEquals(64, log.size());
        int busiest = RequestLog.busiestWindow(log, SECOND);
        assertTrue(busiest <= 6, "busiest sliding second at the sandbox: " + busiest);
    }

    /**
     * The sandbox allows 5 a second, the clients send 6 (4 threads, one production
     * client each, the shared limiter); retry_after is 1 s and the block comes after the sandbox's
     * default of 20 429s in a minute. The run completes, 429s happened, no block.
     *
     * <p>Backing off on retry_after, checked on the sandbox's request log. Each thread asks its own
     * path, so a thread's requests can be told apart; the sandbox runs in this JVM, so its start
     * times and the capture's log times are the same System.nanoTime clock, and no clock slack is
     * needed (each bound below follows from cause and effect, not from timing luck):
     * <ul>
     *   <li>after a 429 that started at t, the same thread's next request starts at t + retry_after
     *       or later;</li>
     *   <li>the other threads pause too. A request another thread had already sent (or had been
     *       cleared to send) when the client learned of the 429 cannot be called back, so the
     *       check is on requests the client decided to send after it logged "retrying in" for
     *       that 429 (W): a request whose thread's previous response the sandbox finished after W
     *       was asked for after W, and must start at t + retry_after or later.</li>
     * </ul>
     */
    @Test
    void a429StormCompletesWithoutTheBlock() throws Exception {
        freshSharedLimiter();
        sandbox.limits().requestsPerSecond = 5;
        sandbox.limits().retryAfterSeconds = 1;
        long retryAfter = SECOND;
        List<String> paths = List.of("/api/v4/account", "/api/v4/users", "/api/v4/leads/pipelines", "/api/v4/catalogs");
        List<AmoClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(paths.size());
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (String path : paths) {
                AmoClient c = production(6);
                clients.add(c);
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 8; i++) {
                        assertNotNull(c.getObject(path), path);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        List<RequestRecord> log = sandbox.requests().snapshot();
        long limited = sandbox.limits().limitedCount();
        assertTrue(limited > 0, "the storm happened");
        assertEquals(
                limited,
                clients.stream().mapToLong(c -> c.metrics().tooManyRequests()).sum(),
                "each 429 seen");
        assertEquals(limited, log.stream().filter(r -> r.status() == 429).count());
        assertEquals(32, log.stream().filter(r -> r.status() == 200).count(), "every call completed once");
        assertEquals(32 + limited, log.size(), "only 200s and 429s were served");
        assertEquals(0, sandbox.limits().blockedCount(), "never reached the block");
        assertFalse(sandbox.limits().isBlocked());
        assertFalse(Files.exists(dir.resolve("state/blocked_until")));

        String text = logs.text();
        assertTrue(
                text.contains("retrying in") && text.contains("429 Too Many Requests (retry_after 1 s)"),
                "the capture saw the client's retry lines");
        StringBuilder violations = new StringBuilder();
        int inFlight = 0;
        for (String path : paths) {
            List<RequestRecord> mine =
                    log.stream().filter(r -> r.target().equals(path)).toList();
            List<RequestRecord> refused =
                    mine.stream().filter(r -> r.status() == 429).toList();
            List<LogCapture.Line> warned = logs.lines().stream()
                    .filter(l -> l.level().equals("WARN") && l.message().startsWith("GET " + path + ": 429"))
                    .toList();
            assertEquals(refused.size(), warned.size(), "one retry line per 429 of " + path);
            for (int i = 0; i < refused.size(); i++) {
                RequestRecord r = refused.get(i);
                long until = r.startNanos() + retryAfter;
                long w = warned.get(i).nanos();
                assertTrue(w > r.startNanos() + r.durationNanos(), "log times and the sandbox share one clock");
                RequestRecord retry = mine.get(mine.indexOf(r) + 1);
                if (retry.startNanos() < until) {
                    violations
                            .append(path)
                            .append(": retried ")
                            .append((retry.startNanos() - r.startNanos()) / 1_000_000)
                            .append(" ms after its 429\n");
                }
                for (String other : paths) {
                    if (other.equals(path)) {
                        continue;
                    }
                    List<RequestRecord> theirs =
                            log.stream().filter(x -> x.target().equals(other)).toList();
                    for (int j = 1; j < theirs.size(); j++) {
                        RequestRecord prev = theirs.get(j - 1);
                        RequestRecord q = theirs.get(j);
                        if (q.startNanos() <= r.startNanos() || q.startNanos() >= until) {
                            continue;
                        }
                        if (prev.startNanos() + prev.durationNanos() > w) {
                            violations
                                    .append(other)
                                    .append(": started ")
                                    .append((q.startNanos() - r.startNanos()) / 1_000_000)
                                    .append(" ms after a 429 of ")
                                    .append(path)
                                    .append(", asked for after the client knew\n");
                        } else {
                            inFlight++;
                        }
                    }
                }
            }
        }
        assertEquals(
                "",
                violations.toString(),
                "requests sent inside retry_after (" + inFlight
                        + " others were already on their way when the 429 arrived)");
    }

    /** A block, in process: one block stops the client after that one request; blocked_until is on disk. */
    @Test
    void aBlockStopsTheClientAfterThatOneRequest() throws Exception {
        sandbox.limits().requestsPerSecond = 1;
        sandbox.limits().blockAfter429s = 1;
        sandbox.limits().blockCooldownMillis = 600_000;
        AmoClient c = longLived(7);
        Instant before = Instant.now();
        BlockedException e = assertThrows(BlockedException.class, () -> {
            for (int i = 0; i < 10; i++) {
                c.getObject("/api/v4/account");
            }
        });
        Instant after = Instant.now();
        errors.add(e);
        assertEquals(ExitCode.BLOCKED, e.exitCode());
        List<RequestRecord> log = sandbox.requests().snapshot();
        assertEquals(
                List.of(200, 429, 403),
                log.stream().map(RequestRecord::status).toList(),
                "one request passed, the 2nd got the 429 that brought the block, its retry met the block");
        assertEquals(1, sandbox.limits().blockedCount(), "exactly one block 403 served");
        assertEquals(3, c.metrics().requests());

        Path file = dir.resolve("state/blocked_until");
        Instant until =
                Instant.parse(Files.readString(file, StandardCharsets.UTF_8).trim());
        assertEquals(e.until(), until);
        assertFalse(
                until.isBefore(before.plus(Duration.ofHours(1))) || until.isAfter(after.plus(Duration.ofHours(1))),
                "blocked_until is one hour after the block: " + until + " (block met between " + before + " and "
                        + after + ")");
        assertTrue(Duration.between(Instant.now().plus(Duration.ofHours(1)), until)
                        .abs()
                        .compareTo(Duration.ofMinutes(1))
                < 0);

        BlockedException same = assertThrows(BlockedException.class, () -> c.getObject("/api/v4/account"));
        errors.add(same);
        AmoClient another = longLived(7);
        BlockedException again = assertThrows(BlockedException.class, () -> another.getObject("/api/v4/account"));
        errors.add(again);
        assertEquals(3, sandbox.requests().total(), "nothing is sent before blocked_until, by this client or another");
        assertEquals(1, sandbox.limits().blockedCount());
        assertEquals(until, again.until());
        assertTrue(again.getMessage().contains("no request is sent before " + until), again.getMessage());
    }

    @Test
    void aPermission403IsNotABlock() {
        var nonAdmin = sandbox.groundTruth().users().stream()
                .filter(u -> !u.isAdmin())
                .findFirst()
                .orElseThrow();
        sandbox.oauth().addLongLivedToken("non-admin-llt", nonAdmin.id());
        secrets.add("non-admin-llt");
        AmoClient c = client(7, new LongLivedToken("non-admin-llt"));
        AmoApiException e = assertThrows(AmoApiException.class, () -> c.getObject("/api/v4/users"));
        errors.add(e);
        assertEquals(403, e.status());
        assertEquals(ExitCode.AUTH, e.exitCode());
        assertTrue(
                e.getMessage().contains("GET /api/v4/users") && e.getMessage().contains("permission"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("state/blocked_until")));
        assertEquals(0, sandbox.limits().blockedCount());
    }

    /** Connects as `auth exchange` does: a code grant, the pair stored; every secret involved is recorded. */
    private TokenPair connect(Path storeFile) {
        TokenStore store = new TokenStore(storeFile);
        AmoClient bootstrap = longLived(7);
        Map<String, String> grant = io.amocrmetl.testing.SandboxOAuth.codeGrant(sandbox);
        JsonNode resp = recorded(bootstrap.tokenEndpoint()).post(grant);
        TokenPair pair = OAuthTokens.fromResponse(resp, Instant.now());
        shown.add(pair);
        store.write(pair);
        return pair;
    }

    private AuthProvider oauth(Path storeFile) {
        return new Recording(new OAuthTokens(
                new TokenStore(storeFile),
                Sandbox.CLIENT_ID,
                Sandbox.CLIENT_SECRET,
                Sandbox.REDIRECT_URI,
                Clock.systemUTC()));
    }

    /**
     * A 401 mid-run brings exactly one refresh, and the rotated pair is on disk, mode
     * 0600, before its access token is first used. The first request after the token call is held
     * at the sandbox before it authenticates: while it is held, the file already holds the new pair.
     * That held request then succeeds, and the only token the sandbox still accepts is the file's
     * new access token (the old one expired), so it carried the pair that was already on disk.
     */
    @Test
    void a401MidRunRefreshesOnceAndStoresTheRotatedPairBeforeUsingIt() throws Exception {
        sandbox.limits().enabled = false;
        Path storeFile = dir.resolve("tokens.json");
        TokenPair before = connect(storeFile);
        sandbox.faults().mutateAfterPage("/api/v4/leads", 2, sandbox.oauth()::expireAccessTokens);
        // /api/v4/leads requests: pages 1 and 2, page 3 with the expired token (401), page 3 with the new one.
        Faults.Hold firstUse = sandbox.faults().hold("/api/v4/leads", 4);
        AmoClient c = client(7, oauth(storeFile));
        Ids ids = new Ids();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        TokenPair whileHeld;
        List<RequestRecord> logWhileHeld;
        try {
            Future<Long> walk = pool.submit(() -> c.walk(new ListRequest("/api/v4/leads", "leads", 50), ids));
            assertTrue(firstUse.awaitHeld(60, TimeUnit.SECONDS), "the retried page 3 reached the sandbox");
            whileHeld = new TokenStore(storeFile).read();
            logWhileHeld = sandbox.requests().snapshot();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storeFile)));
            firstUse.release();
            assertEquals(300L, walk.get(60, TimeUnit.SECONDS));
        } finally {
            firstUse.release();
            pool.shutdownNow();
        }
        shown.add(whileHeld);
        assertEquals(
                List.of(
                        "POST /oauth2/access_token 200",
                        "GET /api/v4/leads 200",
                        "GET /api/v4/leads 200",
                        "GET /api/v4/leads 401",
                        "POST /oauth2/access_token 200"),
                logWhileHeld.stream()
                        .map(r -> r.method() + " " + r.path() + " " + r.status())
                        .toList(),
                "held: the code grant, pages 1-2, the 401, then the refresh was the last request before the new token's first use");
        assertNotEquals(
                before.accessToken(), whileHeld.accessToken(), "the new access token is on disk before its first use");
        assertNotEquals(before.refreshToken(), whileHeld.refreshToken(), "rotated");

        assertEquals(300, ids.committed.size());
        assertEquals(1, sandbox.oauth().refreshCount(), "exactly one refresh");
        assertEquals(1, c.metrics().refreshes());
        List<RequestRecord> log = sandbox.requests().snapshot();
        assertEquals(1, log.stream().filter(r -> r.status() == 401).count());
        RequestRecord held = log.get(5);
        assertEquals("/api/v4/leads", held.path());
        assertEquals(200, held.status(), "the held request's token was accepted");
        TokenPair after = new TokenStore(storeFile).read();
        assertEquals(whileHeld, after, "no other write after the refresh");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storeFile)));

        // The sandbox accepts the file's access token and no longer the old one: the held request carried the former.
        assertEquals(
                sandbox.groundTruth().account().id(),
                client(7, new LongLivedToken(after.accessToken()))
                        .getObject("/api/v4/account")
                        .get("id")
                        .asLong());
        AmoApiException old = assertThrows(
                AmoApiException.class,
                () -> client(7, new LongLivedToken(before.accessToken())).getObject("/api/v4/account"));
        errors.add(old);
        assertEquals(401, old.status());
    }

    /** Concurrent refreshes, in threads: refreshers racing over one store leave a valid pair and lock nobody out. */
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
                AmoClient c = client(7, oauth(storeFile));
                fs.add(pool.submit(() -> c.getObject("/api/v4/account")));
            }
            for (Future<JsonNode> f : fs) {
                assertEquals(
                        sandbox.groundTruth().account().id(),
                        f.get(60, TimeUnit.SECONDS).get("id").asLong());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, sandbox.oauth().refreshCount(), "the second refresher used the pair the first stored");
        TokenPair onDisk = new TokenStore(storeFile).read();
        shown.add(onDisk);
        assertTrue(
                secrets.contains(onDisk.accessToken()) && secrets.contains(onDisk.refreshToken()),
                "the stored pair is one the recording saw handed out");
        AuthProvider later = oauth(storeFile);
        assertTrue(
                later.refreshAfter401(onDisk.accessToken(), longLived(7).tokenEndpoint()),
                "the stored refresh token still works");
        assertEquals(2, sandbox.oauth().refreshCount());
        TokenPair latest = new TokenStore(storeFile).read();
        assertNotEquals(onDisk.refreshToken(), latest.refreshToken());
        assertTrue(secrets.contains(latest.accessToken()) && secrets.contains(latest.refreshToken()));
    }

    /** With filters ignored, a filtered walk stops on its first page, after one request (at most 2 allowed). */
    @Test
    void ignoredFiltersStopTheWalkOnTheFirstPage() {
        sandbox.limits().enabled = false;
        sandbox.fidelity().honourFilters = false;
        List<Long> updated = sandbox.groundTruth().leads().live().stream()
                .map(Lead::updatedAt)
                .sorted()
                .toList();
        long from = updated.get(200);
        AmoClient c = longLived(7);
        Ids ids = new Ids();
        AmoApiException e = assertThrows(
                AmoApiException.class,
                () -> c.walk(
                        new ListRequest("/api/v4/leads", "leads", 50)
                                .range("updated_at", from, null)
                                .param("order[updated_at]", "asc"),
                        ids));
        errors.add(e);
        FilterIgnoredException f = assertInstanceOf(FilterIgnoredException.class, e);
        assertEquals("updated_at", f.field());
        assertEquals(1, sandbox.requests().total(), "stopped on the first page");
        assertTrue(ids.committed.isEmpty(), "nothing of the bad page counts");
        assertEquals(1, ids.aborted, "the bad page was aborted once, when the walk stopped");
        assertEquals(0, c.metrics().retries(), "a broken filter is not retried");
        assertTrue(
                e.getMessage().contains("/api/v4/leads")
                        && e.getMessage().contains("(page 1)")
                        && e.getMessage().contains("updated_at")
                        && e.getMessage().contains("is_api_filter_enabled"),
                e.getMessage());
    }

    /**
     * A page cut off mid-transfer fails naming the endpoint and the page (page 2 here,
     * after a good page 1), after the 4 attempts allowed. Each failed attempt's items are dropped:
     * 3 aborts before the retries, and one more when the page fails for good.
     */
    @Test
    void aTruncatedPageFailsNamingEndpointAndPageAfterRetries() {
        sandbox.limits().enabled = false;
        for (int nth = 2; nth <= 5; nth++) {
            sandbox.faults().cutBody("/api/v4/contacts", nth);
        }
        AmoClient c = longLived(7);
        Ids ids = new Ids();
        AmoApiException e = assertThrows(
                AmoApiException.class, () -> c.walk(new ListRequest("/api/v4/contacts", "contacts", 250), ids));
        errors.add(e);
        assertTrue(
                e.getMessage().startsWith("GET /api/v4/contacts?")
                        && e.getMessage().contains("(page 2)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("after 4 attempts") && e.getMessage().contains("broke off"), e.getMessage());
        assertEquals(ExitCode.UNEXPECTED, e.exitCode());
        assertEquals(5, sandbox.requests().total(), "page 1, then page 2 four times");
        assertEquals(250, ids.committed.size(), "page 1 counted");
        assertEquals(4, ids.aborted, "3 retries and the final failure each dropped page 2's items");
        assertEquals(3, c.metrics().retries());
    }

    /** A truncated page: the first page, and a complete 200 whose JSON is cut short. */
    @Test
    void aMalformedFirstPageFailsNamingEndpointAndPageAfterRetries() {
        sandbox.limits().enabled = false;
        for (int nth = 1; nth <= 4; nth++) {
            sandbox.faults().malformedJson("/api/v4/companies", nth);
        }
        AmoClient c = longLived(7);
        Ids ids = new Ids();
        AmoApiException e = assertThrows(
                AmoApiException.class, () -> c.walk(new ListRequest("/api/v4/companies", "companies", 250), ids));
        errors.add(e);
        assertTrue(e.getMessage().contains("GET /api/v4/companies?limit=250 (page 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("after 4 attempts"), e.getMessage());
        assertEquals(4, sandbox.requests().total());
        assertTrue(ids.committed.isEmpty());
        assertEquals(4, ids.aborted);
    }

    /** A page that breaks once is read again, and its items count once; the capture sees the retry lines. */
    @Test
    void aPageCutOnceIsReadAgainAndCountedOnce() {
        sandbox.limits().enabled = false;
        sandbox.faults()
                .cutBody("/api/v4/leads", 2)
                .failNth("/api/v4/leads", 4, 502)
                .reset("/api/v4/leads", 5);
        AmoClient c = longLived(7);
        Ids ids = new Ids();
        c.walk(new ListRequest("/api/v4/leads", "leads", 100), ids);
        assertEquals(sandbox.groundTruth().leads().live().stream().map(Lead::id).toList(), ids.committed);
        assertEquals(new HashSet<>(ids.committed).size(), ids.committed.size());
        assertEquals(3, c.metrics().retries());
        assertEquals(3, ids.aborted, "one abort per retry, none at the end");
        assertEquals(
                3,
                logs.lines().stream()
                        .filter(l -> l.level().equals("WARN") && l.message().contains("retrying in"))
                        .count());
        assertTrue(
                logs.text()
                        .contains(
                                "GET /api/v4/leads?page=3&limit=100 (page 3): answered 502: injected fault 502; retrying in"),
                "the capture holds the client's retry line");
    }

    @Test
    void aServerIgnoringPagingStopsTheWalkInsteadOfLooping() {
        sandbox.limits().enabled = false;
        sandbox.faults().ignorePaging("/api/v4/tasks");
        AmoClient c = longLived(7);
        Ids ids = new Ids();
        AmoApiException e =
                assertThrows(AmoApiException.class, () -> c.walk(new ListRequest("/api/v4/tasks", "tasks", 100), ids));
        errors.add(e);
        assertTrue(e.getMessage().contains("(page 2) repeats the previous page"), e.getMessage());
        assertEquals(2, sandbox.requests().total());
        assertEquals(100, ids.committed.size(), "page 1 counted, the repeat did not");
        assertEquals(1, ids.aborted);
    }
}
