package io.amocrmetl.auth;

import io.amocrmetl.api.AuthProvider;
import io.amocrmetl.api.TokenPair;

/**
 * The pair a code was just exchanged for, held in memory while the connecting user is checked:
 * nothing reaches the token store until the checks pass, so a refused connection leaves no token
 * file behind. It never refreshes.
 */
final class PendingTokens implements AuthProvider {
    private volatile TokenPair pair;

    void set(TokenPair p) {
        this.pair = p;
    }

    @Override
    public String accessToken(TokenEndpoint endpoint) {
        if (pair == null) {
            throw new IllegalStateException("no token pair yet");
        }
        return pair.accessToken();
    }

    @Override
    public boolean refreshAfter401(String rejected, TokenEndpoint endpoint) {
        return false;
    }

    @Override
    public String toString() {
        return "PendingTokens[***]";
    }
}
