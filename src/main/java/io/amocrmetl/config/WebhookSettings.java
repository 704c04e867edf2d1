package io.amocrmetl.config;

import com.typesafe.config.Config;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * {@code webhooks.*}: the public destination amoCRM calls (its path carries the secret,
 * docs/amocrm-api.md §6.4), the address the receiver binds, the landing folder, and how it is written
 * ({@code landing-mode}: a local log, or one object per delivery batch where nothing can be
 * appended), and how old a local log file gets before it is handed to ingest ({@code rotate-after}).
 */
public record WebhookSettings(
        String destination,
        String listenHost,
        int listenPort,
        String landingPath,
        boolean objectLanding,
        Duration rotateAfter) {

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
                throw EtlConfig.bad(
                        "webhooks.destination",
                        "needs a path with a secret of some length (e.g. "
                                + "/amocrm/hooks/<random>): amoCRM does not sign webhooks (docs/amocrm-api.md §6.4)",
                        c);
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
        landing = landing != null ? landing : lakePath + "/_webhook_landing";
        String mode = EtlConfig.oneOf(c, "webhooks.landing-mode", Set.of("auto", "log", "objects"));
        boolean remote = isRemote(landing);
        if (mode.equals("log") && remote) {
            throw EtlConfig.bad(
                    "webhooks.landing-mode",
                    "log needs a local landing-path; an object store takes " + "objects (or auto)",
                    c);
        }
        Duration rotate = EtlConfig.duration(c, "webhooks.rotate-after");
        if (rotate.isNegative()) {
            throw EtlConfig.bad("webhooks.rotate-after", "must not be negative, got " + rotate, c);
        }
        return new WebhookSettings(
                destination,
                listen.substring(0, colon),
                port,
                landing,
                mode.equals("objects") || (mode.equals("auto") && remote),
                rotate);
    }

    /** A URI with a scheme other than file: (s3a://, gs://, abfs://, hdfs://...), where nothing can be appended. */
    static boolean isRemote(String path) {
        int colon = path.indexOf(':');
        // "C:\..." is a Windows drive, not a scheme.
        return colon > 1 && path.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*") && !path.startsWith("file:");
    }

    /** The destination, or exit 2 naming the key when it is not set (the webhooks commands need it). */
    public String requireDestination() {
        if (destination == null) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "config key 'webhooks.destination' is not set: the public URL "
                            + "amoCRM calls, its path carrying a secret (see docs/webhooks.md)");
        }
        return destination;
    }

    /** The destination's path (the secret part), or null when no destination is set. */
    public String destinationPath() {
        return destination == null ? null : URI.create(destination).getRawPath();
    }

    @Override
    public String toString() {
        return "WebhookSettings[destination=" + (destination == null ? "none" : "*** (secret path)") + ", listen="
                + listenHost + ":" + listenPort + ", landing=" + landingPath + (objectLanding ? " (objects)" : " (log)")
                + "]";
    }
}
