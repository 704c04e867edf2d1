package io.amocrmetl.core;

import java.net.URI;

/**
 * The rule for an account's base URL, checked where the config is read and again where a client
 * is built: HTTPS unless loopback, and no unlimited rate except against loopback (the sandbox),
 * because amoCRM blocks callers over 7 requests/s (docs/amocrm-api.md §5.1).
 */
public final class AccountUrl {
    private AccountUrl() {}

    /** Fails with exit 2 and a message naming the key when {@code baseUrl} breaks the rule. */
    public static void check(String baseUrl, boolean unlimited) {
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new EtlException(ExitCode.BAD_CONFIG, "amocrm.base-url is not a URL: " + baseUrl);
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "amocrm.base-url needs a scheme and host, e.g. " + "https://example.amocrm.ru; got " + baseUrl);
        }
        boolean loopback = isLoopback(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG, "amocrm.base-url must use https (plain http only on loopback): " + baseUrl);
        }
        if (unlimited && !loopback) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "amocrm.rate-limit.unlimited is allowed only for a loopback "
                            + "base-url: amoCRM blocks callers that exceed 7 requests/s");
        }
    }

    public static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }
}
