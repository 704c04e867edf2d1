package io.amocrmetl.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.config.AmoSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Where the Bearer token comes from: a long-lived token, or OAuth with refresh (docs/amocrm-api.md §1). */
public interface AuthProvider {
    /** The long-lived token when configured, else OAuth over the token store. */
    static AuthProvider of(AmoSettings amo, Clock clock) {
        amo.requireAuth();
        if (amo.longLivedToken() != null) {
            return new LongLivedToken(amo.longLivedToken());
        }
        return new OAuthTokens(
                new TokenStore(amo.tokenStore()), amo.clientId(), amo.clientSecret(), amo.redirectUri(), clock);
    }

    /** The token to send now; an OAuth provider refreshes first when it is about to expire. */
    String accessToken(TokenEndpoint endpoint);

    /**
     * A token that stays valid at least {@code minValidity} (a driver handing it to executors for
     * a long read). Providers that cannot tell (a long-lived token) return {@link #accessToken}.
     */
    default String accessToken(TokenEndpoint endpoint, Duration minValidity) {
        return accessToken(endpoint);
    }

    /**
     * Called once when a call with {@code rejected} got 401. Returns true when a fresh token is
     * now available (the caller retries once), false when nothing can be done (re-connect).
     */
    boolean refreshAfter401(String rejected, TokenEndpoint endpoint);

    /** The token endpoint, reached through the client's rate limiter (token calls count, docs/amocrm-api.md §5.1). */
    interface TokenEndpoint {
        /** POSTs the grant to {@code /oauth2/access_token}; returns the parsed JSON body. */
        JsonNode post(Map<String, String> grant);
    }
}
