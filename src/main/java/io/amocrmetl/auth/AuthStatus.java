package io.amocrmetl.auth;

import io.amocrmetl.api.BlockState;
import io.amocrmetl.api.TokenPair;
import io.amocrmetl.api.TokenStore;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * {@code auth status}: the connection as this host knows it, without a request: the account and
 * subdomain, the user and their admin flag (from the {@link ConnectionRecord}), the token's expiry
 * and last rotation, and any {@code blocked_until}. Never a token or secret.
 */
public final class AuthStatus {
    /** A refresh token that is not used for this long lapses (docs/amocrm-api.md §1.3). */
    public static final Duration REFRESH_LIFETIME = Duration.ofDays(90);

    private AuthStatus() {}

    public static int print(EtlConfig config, PrintStream out, Clock clock) {
        AmoSettings amo = config.amocrm();
        String baseUrl = amo.requireBaseUrl();
        Instant now = clock.instant();
        ConnectionRecord c = ConnectionRecord.read(amo.stateDir());
        out.printf("auth status: source %s at %s%n", amo.sourceName(), baseUrl);
        if (c != null) {
            out.printf("  account    %d \"%s\" (subdomain %s)%n", c.accountId(), c.accountName(), c.subdomain());
            out.printf(
                    "  user       %s (id %d), %s%n",
                    c.userName(), c.userId(), c.admin() ? "administrator" : "not an administrator");
            out.printf("  connected  %s%n", at(c.connectedAt(), now));
            c.fields()
                    .forEach((key, f) -> out.printf(
                            "  field      %s = \"%s\" -> %s%n",
                            key, f.name(), f.id() == null ? "no field" : "field " + f.id()));
        }
        Instant blocked =
                new BlockState(amo.stateDir(), amo.rateLimitPerHost() ? amo.rateLimitDir() : null).blockedUntil(now);
        boolean connected;
        if (!amo.usesOAuth()) {
            out.println("  auth       long-lived token (amocrm.auth.long-lived-token): no refresh, no rotation");
            connected = true;
        } else {
            TokenPair pair = new TokenStore(amo.tokenStore()).read();
            connected = pair != null && pair.refreshToken() != null;
            if (connected) {
                out.printf("  token      OAuth, stored in %s%n", amo.tokenStore());
                out.printf(
                        "  expires    access token %s (refreshed automatically, 10 minutes early)%n",
                        at(pair.expiresAt(), now));
                out.printf(
                        "  rotated    %s; the refresh token lapses %s unless a run refreshes it first%n",
                        at(pair.rotatedAt(), now), at(pair.rotatedAt().plus(REFRESH_LIFETIME), now));
            }
        }
        out.printf(
                "  blocked    %s%n",
                blocked == null
                        ? "no"
                        : "until " + blocked + " (amoCRM blocked this caller; no " + "request is sent before then)");
        if (!connected) {
            throw new EtlException(
                    ExitCode.AUTH,
                    "not connected: no tokens in " + amo.tokenStore() + ". Run `auth url`, "
                            + "allow access, then `auth exchange --code '<the address>'`");
        }
        return blocked == null ? ExitCode.OK.code : ExitCode.BLOCKED.code;
    }

    /** "2026-01-31T10:00:00Z (in 23 h)" or "(2 days ago)". */
    static String at(Instant t, Instant now) {
        if (t == null) {
            return "unknown";
        }
        Duration d = Duration.between(now, t);
        String rel = d.isNegative() ? human(d.negated()) + " ago" : "in " + human(d);
        return DateTimeFormatter.ISO_INSTANT.format(t) + " (" + rel + ")";
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min";
        }
        if (s < 3 * 86_400) {
            return s / 3600 + " h";
        }
        return s / 86_400 + " days";
    }
}
