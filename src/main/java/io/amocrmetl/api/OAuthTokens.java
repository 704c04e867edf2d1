package io.amocrmetl.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.core.ExitCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth with refresh (docs/amocrm-api.md §1.2–1.3): refreshes before expiry and once more on a 401. Each
 * refresh runs under the token store's lock and re-reads the store first, so a pair another
 * process just rotated is used instead of refreshing again (that second refresh would spend a
 * refresh token a sibling still holds). If the new pair is lost in transit, the grace rule lets
 * the old refresh token work again, so the user is not locked out.
 */
public final class OAuthTokens implements AuthProvider {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokens.class);
    /** Refresh this long before expiry, so a token never expires mid-request. */
    static final Duration EARLY = Duration.ofMinutes(10);

    private final TokenStore store;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final Clock clock;
    private volatile TokenPair current;
    private volatile long refreshes;

    public OAuthTokens(TokenStore store, String clientId, String clientSecret, String redirectUri, Clock clock) {
        this.store = store;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.redirectUri = redirectUri;
        this.clock = clock;
    }

    @Override
    public String accessToken(TokenEndpoint endpoint) {
        TokenPair pair = current != null ? current : load();
        if (pair.expiresAt().minus(EARLY).isBefore(clock.instant())) {
            pair = refresh(pair.accessToken(), endpoint, EARLY);
        }
        return pair.accessToken();
    }

    @Override
    public String accessToken(TokenEndpoint endpoint, Duration minValidity) {
        TokenPair pair = current != null ? current : load();
        Duration early = minValidity.compareTo(EARLY) > 0 ? minValidity : EARLY;
        if (pair.expiresAt().minus(early).isBefore(clock.instant())) {
            pair = refresh(pair.accessToken(), endpoint, early);
        }
        return pair.accessToken();
    }

    @Override
    public boolean refreshAfter401(String rejected, TokenEndpoint endpoint) {
        refresh(rejected, endpoint, EARLY);
        return true;
    }

    /** Refreshes successful since this provider started. */
    public long refreshes() {
        return refreshes;
    }

    private TokenPair load() {
        TokenPair pair = store.read();
        if (pair == null || pair.refreshToken() == null) {
            throw new AmoApiException(
                    ExitCode.AUTH, "no tokens in " + store.file() + ": run `auth url` and `auth exchange` first", 0);
        }
        current = pair;
        return pair;
    }

    /** Refreshes unless the store already holds a newer pair than the one that failed. */
    private TokenPair refresh(String stale, TokenEndpoint endpoint, Duration early) {
        return store.locked(() -> {
            TokenPair onDisk = store.read();
            if (onDisk != null
                    && !onDisk.accessToken().equals(stale)
                    && onDisk.expiresAt().minus(early).isAfter(clock.instant())) {
                current = onDisk;
                return onDisk;
            }
            TokenPair base = onDisk != null ? onDisk : current;
            Map<String, String> grant = new LinkedHashMap<>();
            grant.put("client_id", clientId);
            grant.put("client_secret", clientSecret);
            grant.put("grant_type", "refresh_token");
            grant.put("refresh_token", base.refreshToken());
            grant.put("redirect_uri", redirectUri);
            JsonNode resp = endpoint.post(grant);
            TokenPair fresh = fromResponse(resp, clock.instant());
            // On disk before first use: the old refresh token dies when the new pair is used.
            store.write(fresh);
            current = fresh;
            refreshes++;
            LOG.info("amoCRM access token refreshed; it expires at {}", fresh.expiresAt());
            return fresh;
        });
    }

    /** The pair a token endpoint answered (docs/amocrm-api.md §1.2: expires_in seconds, 24 h when absent). */
    public static TokenPair fromResponse(JsonNode resp, Instant now) {
        String access = resp.path("access_token").asText(null);
        String refresh = resp.path("refresh_token").asText(null);
        if (access == null || refresh == null) {
            throw new AmoApiException(ExitCode.AUTH, "the token endpoint answered without a token pair", 0);
        }
        return new TokenPair(
                access, refresh, now.plusSeconds(resp.path("expires_in").asLong(86_400)), now);
    }

    @Override
    public String toString() {
        return "OAuthTokens[" + store.file() + "]";
    }
}
