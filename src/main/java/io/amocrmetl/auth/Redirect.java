package io.amocrmetl.auth;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code auth exchange --code} was given: the bare code, or the whole address amoCRM's consent
 * page sent the browser to ({@code {redirect_uri}?code=...&state=...&referer={subdomain}.amocrm.ru
 * &client_id=...}, or {@code error=access_denied} on refusal, docs/amocrm-api.md §1.2), which
 * also brings the {@code referer} (which account approved) and the {@code state}.
 *
 * @param code the authorization code (null when access was refused)
 * @param state the state the consent URL carried, or null
 * @param referer the host of the account that approved, or null
 * @param error the consent page's error (e.g. access_denied), or null
 */
record Redirect(String code, String state, String referer, String error) {
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._~-]{8,4096}");

    static Redirect parse(String given, String refererOption) {
        if (given == null || given.isBlank()) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "--code needs the authorization code, or the whole address the "
                            + "consent page opened (quote it: it holds '&')");
        }
        String s = given.trim();
        int q = s.indexOf('?');
        Map<String, String> params = new LinkedHashMap<>();
        if (q >= 0 || s.contains("=")) {
            String query = q >= 0 ? s.substring(q + 1) : s;
            int hash = query.indexOf('#');
            if (hash >= 0) {
                query = query.substring(0, hash);
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
            if (!params.containsKey("code") && !params.containsKey("error")) {
                throw new EtlException(
                        ExitCode.BAD_CONFIG,
                        "--code: the address holds no code= (nor error=); paste the "
                                + "whole address the consent page opened, in quotes");
            }
        } else {
            params.put("code", s);
        }
        String code = params.get("code");
        if (code != null && !CODE.matcher(code).matches()) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "--code: that is not an authorization code (letters, digits and "
                            + "._~- only); was the address cut at a '&'? Quote it.");
        }
        String referer =
                refererOption != null && !refererOption.isBlank() ? refererOption.trim() : params.get("referer");
        return new Redirect(code, params.get("state"), referer == null ? null : host(referer), params.get("error"));
    }

    /** {@code acme.amocrm.ru} from {@code acme.amocrm.ru}, {@code https://acme.amocrm.ru/} or with a port. */
    static String host(String referer) {
        String h = referer.trim().toLowerCase(Locale.ROOT).replaceFirst("^[a-z]+://", "");
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        int colon = h.indexOf(':');
        return colon >= 0 ? h.substring(0, colon) : h;
    }

    /** The subdomain a referer names: its first label ({@code acme} of {@code acme.amocrm.ru}). */
    String refererSubdomain() {
        if (referer == null) {
            return null;
        }
        int dot = referer.indexOf('.');
        return dot < 0 ? referer : referer.substring(0, dot);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new EtlException(ExitCode.BAD_CONFIG, "--code: the address has broken %-encoding");
        }
    }

    @Override
    public String toString() {
        return "Redirect[code=" + (code == null ? "none" : "***") + ", state=" + (state == null ? "none" : "***")
                + ", referer=" + referer + ", error=" + error + "]";
    }
}
