package io.amocrmetl.webhooks;

import java.net.URI;

/** The destination as it may be shown: scheme, host and port, never the path that holds the secret (docs/amocrm-api.md §6.4). */
final class Destinations {
    private Destinations() {}

    static String redact(String destination) {
        try {
            URI u = URI.create(destination);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + "/*** (secret path)";
        } catch (IllegalArgumentException e) {
            return "*** (not a URL)";
        }
    }
}
