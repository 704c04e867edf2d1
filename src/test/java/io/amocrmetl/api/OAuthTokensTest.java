package io.amocrmetl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's refresh before a long read (a long load refreshes the access token on the
 * driver between windows, docs/historical-loads.md): a token handed to executors must outlive the read,
 * so the driver refreshes once less than the asked validity is left, while an ordinary call waits
 * until the last minutes.
 */
class OAuthTokensTest {
    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-25T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aTokenForALongReadIsRefreshedOnceLessThanTheAskedValidityIsLeft() {
        MovingClock clock = new MovingClock();
        TokenStore store = new TokenStore(dir.resolve("tokens.json"));
        store.write(new TokenPair("access-0", "refresh-0", clock.now.plus(Duration.ofHours(24)), clock.now));
        List<Map<String, String>> grants = new ArrayList<>();
        AuthProvider.TokenEndpoint endpoint = grant -> {
            grants.add(grant);
            ObjectNode r = new ObjectMapper().createObjectNode();
            r.put("access_token", "access-" + grants.size());
            r.put("refresh_token", "refresh-" + grants.size());
            r.put("expires_in", 86_400);
            return r;
        };
        OAuthTokens tokens = new OAuthTokens(store, "id", "secret", "https://x/cb", clock);
        Duration window = Duration.ofHours(2);
        // Window after window, 23 hours into the token's life: still valid for more than a window.
        clock.now = clock.now.plus(Duration.ofHours(21).plusMinutes(59));
        assertEquals("access-0", tokens.accessToken(endpoint, window));
        // Less than a window's validity left: the driver refreshes before handing it out...
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertEquals("access-0", tokens.accessToken(endpoint), "an ordinary call still uses it (10 minutes' margin)");
        assertEquals("access-1", tokens.accessToken(endpoint, window));
        assertEquals(1, grants.size());
        assertEquals("refresh-0", grants.get(0).get("refresh_token"));
        // ...and the rotated pair is on disk before it is used.
        assertEquals("access-1", store.read().accessToken());
        assertEquals("refresh-1", store.read().refreshToken());
        // A second provider (the next window's scan) takes the stored pair without a refresh.
        OAuthTokens next = new OAuthTokens(store, "id", "secret", "https://x/cb", clock);
        assertEquals("access-1", next.accessToken(endpoint, window));
        assertEquals(1, grants.size());
        assertNotEquals("access-0", next.accessToken(endpoint));
    }
}
