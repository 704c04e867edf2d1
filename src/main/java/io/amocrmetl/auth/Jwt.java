package io.amocrmetl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The expiry of a JWT-shaped token (docs/amocrm-api.md §1.3–1.4: access tokens and long-lived tokens are
 * JWTs; the SDK reads the {@code exp} claim of a long-lived token). Only the claim is read: the
 * signature is not checked, and the token is never shown.
 */
public final class Jwt {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Jwt() {}

    /** The {@code exp} claim, or null when the token is not a JWT or has none. */
    public static Instant expiry(String token) {
        if (token == null) {
            return null;
        }
        String[] parts = token.trim().split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode claims =
                    MAPPER.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return claims.path("exp").isNumber()
                    ? Instant.ofEpochSecond(claims.get("exp").asLong())
                    : null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }
}
