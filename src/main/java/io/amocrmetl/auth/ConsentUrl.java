package io.amocrmetl.auth;

import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code auth url}: the consent page address (docs/amocrm-api.md §1.2:
 * {@code https://www.amocrm.ru/oauth?client_id=&state=&mode=}, or www.kommo.com / www.amocrm.com for
 * those accounts) and the next step. The consent page is amoCRM's shared site, not the account's
 * host; only the sandbox (a loopback base URL) serves it on the account's own address.
 */
public final class ConsentUrl {
    /** The page opens as a popup that redirects when done (docs/amocrm-api.md §1.2: popup or post_message). */
    static final String MODE = "popup";

    private ConsentUrl() {}

    public static int print(EtlConfig config, PrintStream out) {
        AmoSettings amo = oauthSettings(config);
        String state = OAuthState.create(amo.stateDir());
        out.println("1. Open this address in a browser signed in to " + amo.baseUrl()
                + " as an administrator, and allow " + "access:");
        out.println();
        out.println("   " + build(amo.baseUrl(), amo.clientId(), state));
        out.println();
        out.println("2. amoCRM then opens " + amo.redirectUri() + "?code=...&state=...&referer=... . Within 20 minutes "
                + "(a code works once), copy that whole address and run, with the quotes:");
        out.println();
        out.println("   jobs/amocrm-etl auth exchange --config <your file> --code '<the address>'");
        return ExitCode.OK.code;
    }

    static String build(String baseUrl, String clientId, String state) {
        return consentSite(baseUrl) + "/oauth?client_id=" + enc(clientId) + "&state=" + enc(state) + "&mode=" + MODE;
    }

    /** Where amoCRM's consent page lives for an account URL (docs/amocrm-api.md §1.1, §1.2). */
    static String consentSite(String baseUrl) {
        URI uri = URI.create(baseUrl);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")) {
            return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        }
        if (host.endsWith(".kommo.com")) {
            return "https://www.kommo.com";
        }
        if (host.endsWith(".amocrm.com")) {
            return "https://www.amocrm.com";
        }
        return "https://www.amocrm.ru";
    }

    /**
     * The settings OAuth needs, or exit 2 naming the first missing key: the account URL, the
     * integration's id, secret and redirect URI; a long-lived token would make OAuth unused.
     */
    static AmoSettings oauthSettings(EtlConfig config) {
        AmoSettings amo = config.amocrm();
        amo.requireBaseUrl();
        if (!amo.usesOAuth()) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "amocrm.auth.long-lived-token is set, so OAuth is not used: "
                            + "unset it (and AMOCRM_LONG_LIVED_TOKEN) to connect with `auth url` / `auth exchange`");
        }
        require("amocrm.auth.client-id", amo.clientId(), "the integration's id; env AMOCRM_CLIENT_ID");
        require(
                "amocrm.auth.client-secret",
                amo.clientSecret(),
                "the integration's secret key; env AMOCRM_CLIENT_SECRET");
        require(
                "amocrm.auth.redirect-uri",
                amo.redirectUri(),
                "the integration's redirect URI; env AMOCRM_REDIRECT_URI");
        return amo;
    }

    private static void require(String key, String value, String what) {
        if (value == null) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "config key '" + key + "' must be set to connect with OAuth (" + what
                            + "; see docs/connecting.md)");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
