package io.amocrmetl.api;

import java.util.regex.Pattern;

/** Removes secrets from what may reach a message or a log: query values and token-like strings. */
public final class Redaction {
    private static final Pattern SECRET_PARAMS =
            Pattern.compile("(?i)((?:^|[?&])(?:client_secret|code|refresh_token|access_token|token)=)[^&#]*");
    /** JWTs and amoCRM's def50200… refresh tokens, wherever they appear. */
    private static final Pattern TOKENS =
            Pattern.compile("eyJ[\\w-]{10,}\\.[\\w-]{10,}\\.[\\w-]+|def50200[0-9a-f]{16,}");

    private Redaction() {}

    /** A URL or path with secret query values replaced by {@code ***}. */
    public static String url(String url) {
        return url == null ? null : text(SECRET_PARAMS.matcher(url).replaceAll("$1***"));
    }

    /** Any text with token-shaped strings replaced by {@code ***}. */
    public static String text(String s) {
        return s == null ? null : TOKENS.matcher(s).replaceAll("***");
    }
}
