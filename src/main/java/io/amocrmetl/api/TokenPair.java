package io.amocrmetl.api;

import java.time.Instant;

/**
 * An OAuth access/refresh pair as the token store keeps it. {@link #toString()} never shows a
 * token.
 */
public record TokenPair(String accessToken, String refreshToken, Instant expiresAt, Instant rotatedAt) {
    @Override
    public String toString() {
        return "TokenPair[access=***, refresh=***, expiresAt=" + expiresAt + ", rotatedAt=" + rotatedAt + "]";
    }
}
