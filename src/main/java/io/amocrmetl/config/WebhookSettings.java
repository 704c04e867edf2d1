package io.amocrmetl.config;

import com.typesafe.config.Config;
import java.net.URI;

/**
 * {@code webhooks.*}: the public destination amoCRM calls (its path carries the secret,
 * reference §6.4), the address the receiver binds, and the landing folder.
 */
public record WebhookSettings(String destination, String listenHost, int listenPort, String landingPath) {

    static WebhookSettings from(Config c, String lakePath) {
        String destination = EtlConfig.stringOrNull(c, "webhooks.destination");
        if (destination != null) {
            URI uri;
            try {
                uri = URI.create(destination);
            } catch (IllegalArgumentException e) {
                throw EtlConfig.bad("webhooks.destination", "is not a URL", c);
            }
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw EtlConfig.bad("webhooks.destination", "must be an http(s) URL", c);
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            if (path.length() < 16) {
                throw EtlConfig.bad("webhooks.destination", "needs a path with a secret of some length (e.g. "
                        + "/amocrm/hooks/<random>): amoCRM does not sign webhooks (reference §6.4)", c);
            }
        }
        String listen = EtlConfig.string(c, "webhooks.listen");
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw EtlConfig.bad("webhooks.listen", "must be host:port, got '" + listen + "'", c);
        }
        if (colon <= 0 || port < 0 || port > 65535) {
            throw EtlConfig.bad("webhooks.listen", "must be host:port, got '" + listen + "'", c);
        }
        String landing = EtlConfig.stringOrNull(c, "webhooks.landing-path");
        return new WebhookSettings(destination, listen.substring(0, colon), port,
                landing != null ? landing : lakePath + "/_webhook_landing");
    }

    /** The destination's path (the secret part), or null when no destination is set. */
    public String destinationPath() {
        return destination == null ? null : URI.create(destination).getRawPath();
    }

    @Override
    public String toString() {
        return "WebhookSettings[destination=" + (destination == null ? "none" : "*** (secret path)") + ", listen="
                + listenHost + ":" + listenPort + ", landing=" + landingPath + "]";
    }
}
