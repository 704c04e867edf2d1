package io.amocrmetl.config;

import com.typesafe.config.Config;
import io.amocrmetl.core.AccountUrl;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code amocrm.*}: how to reach and authenticate against one account. Secrets are held here and
 * handed only to the client; {@link #toString()} never shows them.
 */
public final class AmoSettings {
    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String sourceName;
    private final String baseUrl;
    private final String longLivedToken;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final Path tokenStore;
    private final int requestsPerSecond;
    private final boolean unlimited;
    private final boolean rateLimitPerHost;
    private final Path rateLimitDir;
    private final String gaClientIdField;
    private final String requestIdField;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxAttempts;
    private final Duration maxTotalWait;

    private AmoSettings(Config c) {
        this.sourceName = EtlConfig.string(c, "amocrm.source-name");
        if (!SOURCE_NAME.matcher(sourceName).matches()) {
            throw EtlConfig.bad(
                    "amocrm.source-name",
                    "may hold only letters, digits, '-' and '_' (1-64), got '" + sourceName + "'",
                    c);
        }
        this.baseUrl = EtlConfig.stringOrNull(c, "amocrm.base-url");
        this.longLivedToken = EtlConfig.stringOrNull(c, "amocrm.auth.long-lived-token");
        this.clientId = EtlConfig.stringOrNull(c, "amocrm.auth.client-id");
        this.clientSecret = EtlConfig.stringOrNull(c, "amocrm.auth.client-secret");
        this.redirectUri = EtlConfig.stringOrNull(c, "amocrm.auth.redirect-uri");
        String store = EtlConfig.stringOrNull(c, "amocrm.auth.token-store");
        this.tokenStore = store == null
                ? Path.of(System.getProperty("user.home"), ".amocrm-etl", sourceName, "tokens.json")
                : expandHome(store);
        this.requestsPerSecond =
                EtlConfig.get(c, "amocrm.rate-limit.requests-per-second", c::getInt, "a whole number from 1 to 7");
        this.unlimited = EtlConfig.bool(c, "amocrm.rate-limit.unlimited");
        this.rateLimitPerHost = EtlConfig.oneOf(c, "amocrm.rate-limit.scope", Set.of("host", "account"))
                .equals("host");
        String rateDir = EtlConfig.stringOrNull(c, "amocrm.rate-limit.host-dir");
        // Under the user's home, not a shared /tmp folder another local user could plant first.
        this.rateLimitDir =
                rateDir == null ? Path.of(System.getProperty("user.home"), ".amocrm-etl", "host") : expandHome(rateDir);
        this.gaClientIdField = EtlConfig.stringOrNull(c, "amocrm.custom-fields.ga-client-id");
        this.requestIdField = EtlConfig.stringOrNull(c, "amocrm.custom-fields.request-id");
        this.connectTimeout = EtlConfig.positive(
                c, "amocrm.http.connect-timeout", EtlConfig.duration(c, "amocrm.http.connect-timeout"));
        this.readTimeout =
                EtlConfig.positive(c, "amocrm.http.read-timeout", EtlConfig.duration(c, "amocrm.http.read-timeout"));
        this.maxAttempts = EtlConfig.positiveInt(c, "amocrm.http.max-attempts");
        this.maxTotalWait = EtlConfig.positive(
                c, "amocrm.http.max-total-wait", EtlConfig.duration(c, "amocrm.http.max-total-wait"));
        if (!unlimited && (requestsPerSecond < 1 || requestsPerSecond > 7)) {
            throw EtlConfig.bad(
                    "amocrm.rate-limit.requests-per-second",
                    "must be 1..7 (amoCRM blocks callers over 7, " + "docs/amocrm-api.md §5.1), got "
                            + requestsPerSecond,
                    c);
        }
        if (baseUrl != null) {
            try {
                AccountUrl.check(baseUrl, unlimited);
            } catch (EtlException e) {
                String key = e.getMessage().contains("unlimited") ? "amocrm.rate-limit.unlimited" : "amocrm.base-url";
                throw EtlConfig.bad(key, e.getMessage().replace(key + " ", ""), c);
            }
        } else if (unlimited) {
            throw EtlConfig.bad(
                    "amocrm.rate-limit.unlimited",
                    "is allowed only with a loopback amocrm.base-url "
                            + "(benchmarks against the sandbox); amoCRM blocks callers over 7 requests/s",
                    c);
        }
        if (longLivedToken == null && (clientId == null) != (clientSecret == null)) {
            throw EtlConfig.bad(
                    clientId == null ? "amocrm.auth.client-id" : "amocrm.auth.client-secret",
                    "OAuth needs both client-id and client-secret",
                    c);
        }
    }

    static AmoSettings from(Config c) {
        return new AmoSettings(c);
    }

    private static Path expandHome(String p) {
        return p.startsWith("~/") ? Path.of(System.getProperty("user.home"), p.substring(2)) : Path.of(p);
    }

    /** Fails with exit 2 unless the account URL and a way to authenticate are configured. */
    public AmoSettings requireAuth() {
        requireBaseUrl();
        if (longLivedToken == null && (clientId == null || clientSecret == null)) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "config: no way to authenticate; set amocrm.auth.long-lived-token "
                            + "(env AMOCRM_LONG_LIVED_TOKEN), or amocrm.auth.client-id and client-secret (env AMOCRM_CLIENT_ID, "
                            + "AMOCRM_CLIENT_SECRET) and connect with `auth url` / `auth exchange`");
        }
        return this;
    }

    public String requireBaseUrl() {
        if (baseUrl == null) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "config key 'amocrm.base-url' must be set (the account URL, "
                            + "e.g. https://example.amocrm.ru; env AMOCRM_BASE_URL)");
        }
        return baseUrl;
    }

    /** The long-lived token, for the API client only; null when OAuth is used. */
    public String longLivedToken() {
        return longLivedToken;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration maxTotalWait() {
        return maxTotalWait;
    }

    public boolean usesOAuth() {
        return longLivedToken == null;
    }

    public String sourceName() {
        return sourceName;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Path tokenStore() {
        return tokenStore;
    }

    /** Where blocked_until and the refresh lock live: the token store's folder. */
    public Path stateDir() {
        return tokenStore.toAbsolutePath().getParent();
    }

    public int requestsPerSecond() {
        return requestsPerSecond;
    }

    public boolean unlimited() {
        return unlimited;
    }

    /** amocrm.rate-limit.scope: one budget for every account on this host (true), or one per account. */
    public boolean rateLimitPerHost() {
        return rateLimitPerHost;
    }

    /** amocrm.rate-limit.host-dir: where the host's request ledgers (and its shared block) live. */
    public Path rateLimitDir() {
        return rateLimitDir;
    }

    public String clientId() {
        return clientId;
    }

    /** The OAuth client secret, for the token endpoint only. */
    public String clientSecret() {
        return clientSecret;
    }

    public String redirectUri() {
        return redirectUri;
    }

    public String gaClientIdField() {
        return gaClientIdField;
    }

    public String requestIdField() {
        return requestIdField;
    }

    @Override
    public String toString() {
        return "AmoSettings[" + sourceName + ", " + baseUrl + ", auth="
                + (longLivedToken != null ? "long-lived ***" : clientId != null ? "oauth " + tokenStore : "none")
                + ", rps=" + (unlimited ? "unlimited" : requestsPerSecond) + "]";
    }
}
