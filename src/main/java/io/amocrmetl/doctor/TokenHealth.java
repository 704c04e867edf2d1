package io.amocrmetl.doctor;

import io.amocrmetl.api.TokenPair;
import io.amocrmetl.auth.AuthStatus;
import io.amocrmetl.core.ExitCode;
import java.time.Duration;
import java.time.Instant;

/**
 * How long the connection lasts without a person (docs/amocrm-api.md §1.3–1.4). An OAuth pair refreshes
 * itself while runs happen, but its refresh token lapses 3 months after its last rotation; a
 * long-lived token ends at its {@code exp}. Both warn {@value #WARN_DAYS} days ahead.
 */
final class TokenHealth {
    static final int WARN_DAYS = 14;

    private TokenHealth() {}

    static Check oauth(TokenPair pair, Instant now) {
        if (pair == null || pair.refreshToken() == null) {
            return Check.error(
                    "token",
                    "not connected: the token store holds no pair",
                    "run `auth url`, allow access, then " + "`auth exchange --code '<the address>'`",
                    ExitCode.AUTH);
        }
        Instant lapses = pair.rotatedAt().plus(AuthStatus.REFRESH_LIFETIME);
        return judge(
                "OAuth refresh token (last rotated " + pair.rotatedAt() + ")",
                lapses,
                now,
                "any run refreshes it; if it lapsed, connect again with `auth url` and `auth exchange`");
    }

    static Check longLived(Instant expiry, Instant now) {
        if (expiry == null) {
            return Check.ok("token", "long-lived token; its expiry is not readable (not a JWT), so it is not checked");
        }
        return judge(
                "long-lived token",
                expiry,
                now,
                "issue a new long-lived token in the integration's settings and set "
                        + "amocrm.auth.long-lived-token (env AMOCRM_LONG_LIVED_TOKEN)");
    }

    private static Check judge(String what, Instant end, Instant now, String fix) {
        Duration left = Duration.between(now, end);
        if (left.isNegative() || left.isZero()) {
            return Check.error("token", what + " expired at " + end, fix, ExitCode.AUTH);
        }
        if (left.compareTo(Duration.ofDays(WARN_DAYS)) < 0) {
            return Check.warning("token", what + " expires at " + end + ", in " + left.toDays() + " days", fix);
        }
        return Check.ok("token", what + " valid until " + end + " (" + left.toDays() + " days)");
    }
}
