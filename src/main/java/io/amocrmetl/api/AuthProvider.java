package io.amocrmetl.api;

/** Where the Bearer token comes from: a long-lived token, or OAuth with refresh (reference §1). */
public interface AuthProvider {
    /** The token to send now; an OAuth provider refreshes first when it is about to expire. */
    String accessToken(TokenEndpoint endpoint);

    /**
     * A token that stays valid at least {@code minValidity} (a driver handing it to executors for
     * a long read). Providers that cannot tell (a long-lived token) return {@link #accessToken}.
     */
    default String accessToken(TokenEndpoint endpoint, java.time.Duration minValidity) {
        return accessToken(endpoint);
    }

    /**
     * Called once when a call with {@code rejected} got 401. Returns true when a fresh token is
     * now available (the caller retries once), false when nothing can be done (re-connect).
     */
    boolean refreshAfter401(String rejected, TokenEndpoint endpoint);

    /** The token endpoint, reached through the client's rate limiter (token calls count, §5.1). */
    interface TokenEndpoint {
        /** POSTs the grant to {@code /oauth2/access_token}; returns the parsed JSON body. */
        com.fasterxml.jackson.databind.JsonNode post(java.util.Map<String, String> grant);
    }
}
