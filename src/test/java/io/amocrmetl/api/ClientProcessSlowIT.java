package io.amocrmetl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.Faults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client across processes: a recorded block, and concurrent refreshes (issue "API client" 3 and 5). */
class ClientProcessSlowIT {
    @TempDir
    Path dir;
    Sandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(4).withLeads(40).withToken("llt-process-test"));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private Process probe(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClientProbe.class.getName(), sandbox.baseUrl()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve("out-" + System.nanoTime()).toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aBlockRecordedByOneProcessStopsTheNextWithExit4() throws Exception {
        Path state = dir.resolve("state");
        sandbox.limits().requestsPerSecond = 1;
        sandbox.limits().blockAfter429s = 1;
        sandbox.limits().retryAfterSeconds = 1;
        AmoClient first = new AmoClient(ClientSettings.of(sandbox.baseUrl(), 7, state), new LongLivedToken("llt-process-test"),
                new RateLimiter(7, 100));
        try {
            for (int i = 0; i < 10; i++) {
                first.getObject("/api/v4/account");
            }
        } catch (BlockedException expected) {
            // the block this test is about
        }
        assertTrue(Files.exists(state.resolve("blocked_until")));
        sandbox.limits().reset();
        long sent = sandbox.requests().total();

        Process second = probe(state.toString(), "/api/v4/account", "--token", "llt-process-test");
        assertTrue(second.waitFor(2, TimeUnit.MINUTES));
        String err = new String(second.getErrorStream().readAllBytes());
        assertEquals(4, second.exitValue(), err);
        assertTrue(err.startsWith("amocrm-etl: ") && err.contains("no request is sent before"), err);
        assertEquals(1, err.strip().lines().count(), "one line on stderr");
        assertEquals(sent, sandbox.requests().total(), "the second process sent nothing");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void twoProcessesRefreshingAtOnceLeaveAValidPairAndNeitherIsLockedOut() throws Exception {
        sandbox.limits().enabled = false;
        Path storeFile = dir.resolve("tokens.json");
        TokenStore store = new TokenStore(storeFile);
        Map<String, String> grant = io.amocrmetl.testing.SandboxOAuth.codeGrant(sandbox);
        AmoClient bootstrap = new AmoClient(ClientSettings.of(sandbox.baseUrl(), 7, dir.resolve("state")),
                new LongLivedToken("llt-process-test"), new RateLimiter(7, 100));
        store.write(OAuthTokens.fromResponse(bootstrap.tokenEndpoint().post(grant), Instant.now()));
        sandbox.oauth().expireAccessTokens();
        long before = sandbox.requests().total();

        // Hold the first refresh until the other process has also met the 401: both then race.
        Faults.Hold hold = sandbox.faults().hold("/oauth2/access_token", 1);
        String[] oauth = {"--store", storeFile.toString(), Sandbox.CLIENT_ID, Sandbox.CLIENT_SECRET, Sandbox.REDIRECT_URI};
        List<String> a = new ArrayList<>(List.of(dir.resolve("state-a").toString(), "/api/v4/account"));
        a.addAll(List.of(oauth));
        List<String> b = new ArrayList<>(List.of(dir.resolve("state-b").toString(), "/api/v4/account"));
        b.addAll(List.of(oauth));
        Process p1 = probe(a.toArray(String[]::new));
        Process p2 = probe(b.toArray(String[]::new));
        assertTrue(hold.awaitHeld(60, TimeUnit.SECONDS), "a refresh started");
        assertTrue(sandbox.requests().await(r -> r.seq() > 0 && r.status() == 401, 2, 60_000), "both processes met the 401");
        hold.release();
        assertTrue(p1.waitFor(2, TimeUnit.MINUTES) && p2.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p1.exitValue(), new String(p1.getErrorStream().readAllBytes()));
        assertEquals(0, p2.exitValue(), new String(p2.getErrorStream().readAllBytes()));
        assertEquals(1, sandbox.oauth().refreshCount(), "one refresh; the other process used the stored pair");
        assertTrue(sandbox.requests().total() > before);

        TokenPair onDisk = store.read();
        assertFalse(onDisk.refreshToken() == null);
        OAuthTokens later = new OAuthTokens(store, Sandbox.CLIENT_ID, Sandbox.CLIENT_SECRET, Sandbox.REDIRECT_URI,
                java.time.Clock.systemUTC());
        assertTrue(later.refreshAfter401(onDisk.accessToken(), bootstrap.tokenEndpoint()), "nobody is locked out");
    }
}
