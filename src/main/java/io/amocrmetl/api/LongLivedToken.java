package io.amocrmetl.api;

import io.amocrmetl.core.ExitCode;

/**
 * A long-lived token of a private integration (docs/amocrm-api.md §1.4): no refresh; a 401 means it expired
 * or was revoked, and the user must issue a new one.
 */
public final class LongLivedToken implements AuthProvider {
    private final String token;

    public LongLivedToken(String token) {
        if (token == null || token.isBlank()) {
            throw new AmoApiException(ExitCode.BAD_CONFIG, "amocrm.auth.long-lived-token is empty", 0);
        }
        this.token = token.trim();
    }

    @Override
    public String accessToken(TokenEndpoint endpoint) {
        return token;
    }

    @Override
    public boolean refreshAfter401(String rejected, TokenEndpoint endpoint) {
        return false;
    }

    @Override
    public String toString() {
        return "LongLivedToken[***]";
    }
}
