package io.amocrmetl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.Faults;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client across processes: a recorded block, and concurrent refreshes
 * (docs/api-client.md). Also: no secret appears in the children's stdout or stderr, nor in this
 * JVM's captured logs, output and exceptions.
 */
class ClientProcessSlowIT {
    private static final String TOKEN = "llt-process-test";

    @TempDir
    Path dir;

    Sandbox sandbox;
    LogCapture logs;
    final List<String> secrets = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    /** The children's stdout and stderr files. */
    final List<Path> outputs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(
                SandboxSettings.defaults().withSeed(4).withLeads(40).withToken(TOKEN));
        // The JVM-shared limiter is keyed by base URL: a recycled port must not bring back an old one.
        while (RateLimiter.existing(sandbox.baseUrl()) != null) {
            Sandbox old = sandbox;
            sandbox = Sandbox.start(
                    SandboxSettings.defaults().withSeed(4).withLeads(40).withToken(TOKEN));
            old.close();
        }
        secrets.add(TOKEN);
        secrets.add(Sandbox.CLIENT_SECRET);
        logs = new LogCapture();
    }

    @AfterEach
    void stop() throws Exception {
        logs.close();
        sandbox.close();
        StringBuilder text = new StringBuilder(logs.text());
        for (Throwable e : errors) {
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(w));
            text.append(w);
        }
        for (Path f : outputs) {
            text.append(Files.readString(f, StandardCharsets.UTF_8));
        }
        for (int i = 0; i < secrets.size(); i++) {
            assertFalse(
                    text.toString().contains(secrets.get(i)),
                    "secret #" + i + " leaked into a child's output, " + "this JVM's logs or output, or an exception");
        }
    }

    /** A child JVM running {@link ClientProbe}, its stdout and stderr in files (a full pipe cannot stall it). */
    private record Probe(Process process, Path out, Path err) {
        String stdout() throws java.io.IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderr() throws java.io.IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }
    }

    private Probe probe(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ClientProbe.class.getName(),
                sandbox.baseUrl()));
        cmd.addAll(List.of(args));
        long id = System.nanoTime();
        Path out = dir.resolve("out-" + id);
        Path err = dir.resolve("err-" + id);
        outputs.add(out);
        outputs.add(err);
        return new Probe(
                new ProcessBuilder(cmd)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start(),
                out,
                err);
    }

    /** A production client: ClientSettings.of defaults and the JVM-shared limiter. */
    private AmoClient client(Path state) {
        return new AmoClient(ClientSettings.of(sandbox.baseUrl(), 7, state), new LongLivedToken(TOKEN));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aBlockRecordedByOneProcessStopsTheNextWithExit4() throws Exception {
        Path state = dir.resolve("state");
        sandbox.limits().requestsPerSecond = 1;
        sandbox.limits().blockAfter429s = 1;
        sandbox.limits().retryAfterSeconds = 1;
        AmoClient first = client(state);
        Instant before = Instant.now();
        BlockedException blocked = assertThrows(BlockedException.class, () -> {
            for (int i = 0; i < 10; i++) {
                first.getObject("/api/v4/account");
            }
        });
        Instant after = Instant.now();
        errors.add(blocked);
        assertEquals(
                List.of(200, 429, 403),
                sandbox.requests().snapshot().stream()
                        .map(RequestRecord::status)
                        .toList(),
                "the block stopped the client after that one request");
        assertEquals(1, sandbox.limits().blockedCount(), "exactly one block 403");
        Instant until = Instant.parse(Files.readString(state.resolve("blocked_until"), StandardCharsets.UTF_8)
                .trim());
        assertFalse(
                until.isBefore(before.plus(Duration.ofHours(1))) || until.isAfter(after.plus(Duration.ofHours(1))),
                "blocked_until " + until + " is one hour after the block");
        assertTrue(Duration.between(Instant.now().plus(Duration.ofHours(1)), until)
                        .abs()
                        .compareTo(Duration.ofMinutes(1))
                < 0);
        sandbox.limits().reset();
        long sent = sandbox.requests().total();

        Probe second = probe(state.toString(), "/api/v4/account", "--token", TOKEN);
        assertTrue(second.process().waitFor(2, TimeUnit.MINUTES));
        String err = second.stderr();
        assertEquals(4, second.process().exitValue(), err);
        assertTrue(err.startsWith("amocrm-etl: ") && err.contains("no request is sent before " + until), err);
        assertEquals(1, err.strip().lines().count(), "one line on stderr");
        assertEquals("", second.stdout());
        assertEquals(sent, sandbox.requests().total(), "the second process sent nothing");
        assertEquals(1, sandbox.limits().blockedCount());
    }

    /**
     * A 429's pause outlives the process that got it (docs/api-client.md, "Retries"): this JVM's client,
     * whose retry budget is shorter than the pause, exits 4 naming when to run again; a fresh process
     * with the same state folder (as a scheduler's retry) sends nothing before the pause is over.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aCoolDownRecordedByOneProcessHoldsTheNextUntilItEnds() throws Exception {
        Path state = dir.resolve("state");
        sandbox.limits().retryAfterSeconds = 6;
        sandbox.faults().failNth("/api/v4/account", 1, 429);
        AmoClient first = new AmoClient(
                ClientSettings.of(sandbox.baseUrl(), 7, state)
                        .withRetry(new RetryPolicy(
                                8, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(2))),
                new LongLivedToken(TOKEN));
        AmoApiException e = assertThrows(AmoApiException.class, () -> first.getObject("/api/v4/account"));
        errors.add(e);
        assertEquals(ExitCode.BLOCKED, e.exitCode(), e.getMessage());
        Instant until = Instant.parse(Files.readString(state.resolve("cool_down_until"), StandardCharsets.UTF_8)
                .trim());
        long untilNanos =
                System.nanoTime() + Duration.between(Instant.now(), until).toNanos();
        assertTrue(e.getMessage().contains("run again after then"), e.getMessage());
        assertTrue(Duration.between(Instant.now(), until).toSeconds() >= 4, "the pause is the 429's: " + until);
        assertEquals(1, sandbox.requests().snapshot().size(), "this JVM sent nothing more");

        Probe second = probe(state.toString(), "/api/v4/account", "--token", TOKEN);
        assertTrue(second.process().waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, second.process().exitValue(), second.stderr());
        List<RequestRecord> log = sandbox.requests().snapshot();
        assertEquals(List.of(429, 200), log.stream().map(RequestRecord::status).toList());
        // nanoTime and the wall clock are read a moment apart: a few ms of slack.
        assertTrue(
                log.get(1).startNanos() >= untilNanos - 50_000_000L,
                "the second process sent " + (untilNanos - log.get(1).startNanos()) / 1_000_000
                        + " ms before the pause ended");
    }

    /** Records the grant's secrets and the pair the endpoint answers. */
    private AuthProvider.TokenEndpoint recorded(AuthProvider.TokenEndpoint endpoint) {
        return grant -> {
            for (String k : List.of("client_secret", "code", "refresh_token")) {
                if (grant.get(k) != null) {
                    secrets.add(grant.get(k));
                }
            }
            JsonNode resp = endpoint.post(grant);
            secrets.add(resp.path("access_token").asText());
            secrets.add(resp.path("refresh_token").asText());
            return resp;
        };
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void twoProcessesRefreshingAtOnceLeaveAValidPairAndNeitherIsLockedOut() throws Exception {
        sandbox.limits().enabled = false;
        Path storeFile = dir.resolve("tokens.json");
        TokenStore store = new TokenStore(storeFile);
        Map<String, String> grant = io.amocrmetl.testing.SandboxOAuth.codeGrant(sandbox);
        AmoClient bootstrap = client(dir.resolve("state"));
        TokenPair connected =
                OAuthTokens.fromResponse(recorded(bootstrap.tokenEndpoint()).post(grant), Instant.now());
        store.write(connected);
        sandbox.oauth().expireAccessTokens();
        long before = sandbox.requests().total();

        // Hold the first refresh until the other process has also met the 401: both then race.
        Faults.Hold hold = sandbox.faults().hold("/oauth2/access_token", 1);
        String[] oauth = {
            "--store", storeFile.toString(), Sandbox.CLIENT_ID, Sandbox.CLIENT_SECRET, Sandbox.REDIRECT_URI
        };
        List<String> a = new ArrayList<>(List.of(dir.resolve("state-a").toString(), "/api/v4/account"));
        a.addAll(List.of(oauth));
        List<String> b = new ArrayList<>(List.of(dir.resolve("state-b").toString(), "/api/v4/account"));
        b.addAll(List.of(oauth));
        Probe p1 = probe(a.toArray(String[]::new));
        Probe p2 = probe(b.toArray(String[]::new));
        try {
            assertTrue(hold.awaitHeld(60, TimeUnit.SECONDS), "a refresh started");
            assertTrue(
                    sandbox.requests().await(r -> r.seq() > 0 && r.status() == 401, 2, 60_000),
                    "both processes met the 401");
        } finally {
            hold.release();
        }
        assertTrue(p1.process().waitFor(2, TimeUnit.MINUTES) && p2.process().waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p1.process().exitValue(), p1.stderr());
        assertEquals(0, p2.process().exitValue(), p2.stderr());
        String account = String.valueOf(sandbox.groundTruth().account().id());
        assertEquals(account, p1.stdout().strip());
        assertEquals(account, p2.stdout().strip());
        assertEquals(1, sandbox.oauth().refreshCount(), "one refresh; the other process used the stored pair");
        assertTrue(sandbox.requests().total() > before);

        // The only pair the children got is the one on disk now: it joins the secrets their output is checked for.
        TokenPair onDisk = store.read();
        secrets.add(onDisk.accessToken());
        secrets.add(onDisk.refreshToken());
        assertNotEquals(connected.refreshToken(), onDisk.refreshToken(), "rotated");
        assertTrue(
                (p1.stderr() + p2.stderr()).contains("amoCRM access token refreshed"),
                "the children's logs are in what is checked");
        OAuthTokens later = new OAuthTokens(
                store, Sandbox.CLIENT_ID, Sandbox.CLIENT_SECRET, Sandbox.REDIRECT_URI, java.time.Clock.systemUTC());
        assertTrue(
                later.refreshAfter401(onDisk.accessToken(), recorded(bootstrap.tokenEndpoint())),
                "nobody is locked out");
        assertEquals(2, sandbox.oauth().refreshCount());
    }
}
