package io.amocrmetl.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code webhooks install | status | uninstall}: the account's subscription for
 * {@code webhooks.destination}, through {@code /api/v4/webhooks} (docs/amocrm-api.md §6.1; admin only).
 * Installing twice changes nothing; installing a webhook amoCRM disabled, or one whose settings
 * differ, subscribes it again, which replaces its settings and enables it.
 */
public final class WebhookSubscription {
    /**
     * The delete actions of unsorted, leads, contacts, companies and tasks, and the restore
     * actions that exist (docs/amocrm-api.md §6.1: there is no restore_task).
     */
    public static final List<String> SETTINGS = List.of(
            "delete_unsorted",
            "delete_lead",
            "delete_contact",
            "delete_company",
            "delete_task",
            "restore_lead",
            "restore_contact",
            "restore_company");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A subscription as {@code GET /api/v4/webhooks} lists it. */
    record Hook(long id, boolean disabled, List<String> settings) {}

    private final AmoClient client;
    private final String destination;
    private final PrintStream out;

    private WebhookSubscription(EtlConfig config, PrintStream out) {
        AmoSettings amo = config.amocrm().requireAuth();
        this.destination = config.webhooks().requireDestination();
        this.client = AmoClient.connect(amo, Clock.systemUTC());
        this.out = out;
    }

    public static int install(EtlConfig config, PrintStream out) {
        WebhookSubscription s = new WebhookSubscription(config, out);
        AccountIdentity account = s.account();
        try {
            // The receiver checks deliveries against this, and needs no API call to start.
            account.save(
                    LandingFiles.of(config.webhooks(), null), config.amocrm().sourceName());
        } catch (IOException e) {
            throw new EtlException(
                    ExitCode.UNEXPECTED,
                    "cannot write " + AccountIdentity.file(config.amocrm().sourceName()) + " to the webhook landing "
                            + config.webhooks().landingPath() + ": " + e.getMessage(),
                    e);
        }
        Hook h = s.find();
        String shown = Destinations.redact(s.destination);
        if (h != null && !h.disabled() && Set.copyOf(h.settings()).equals(Set.copyOf(SETTINGS))) {
            out.printf(
                    "webhooks install: already installed for %s on account %d (%s); nothing changed%n",
                    shown, account.id(), account.subdomain());
            return ExitCode.OK.code;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("destination", s.destination);
        SETTINGS.forEach(body.putArray("settings")::add);
        body.put("sort", 1);
        s.client.send("POST", "/api/v4/webhooks", body);
        String what = h == null
                ? "installed"
                : h.disabled()
                        ? "enabled again (amoCRM had disabled it)"
                        : "settings replaced (" + changes(h.settings()) + ")";
        out.printf(
                "webhooks install: %s for %s on account %d (%s): %s%n",
                what, shown, account.id(), account.subdomain(), String.join(", ", SETTINGS));
        return ExitCode.OK.code;
    }

    public static int status(EtlConfig config, PrintStream out) {
        WebhookSubscription s = new WebhookSubscription(config, out);
        AccountIdentity account = s.account();
        Hook h = s.find();
        String shown = Destinations.redact(s.destination);
        if (h == null) {
            out.printf(
                    "webhooks status: no webhook for %s on account %d (%s); run `webhooks install`%n",
                    shown, account.id(), account.subdomain());
        } else {
            out.printf(
                    "webhooks status: webhook %d for %s on account %d (%s): %s%n",
                    h.id(),
                    shown,
                    account.id(),
                    account.subdomain(),
                    h.disabled()
                            ? "DISABLED by amoCRM (after more than 100 failed deliveries in 2 h, "
                                    + "or an IP block, docs/amocrm-api.md §6.3); fix the receiver, then `webhooks install` enables it again"
                            : "enabled");
            for (String setting : SETTINGS) {
                out.printf(
                        "  %-16s %s%n",
                        setting, h.settings().contains(setting) ? "subscribed" : "MISSING (run `webhooks install`)");
            }
            for (String extra : h.settings()) {
                if (!SETTINGS.contains(extra)) {
                    out.printf(
                            "  %-16s extra: the receiver refuses these deliveries (run `webhooks install` to drop it)%n",
                            extra);
                }
            }
        }
        try {
            LandingInbox inbox = LandingInbox.read(config.webhooks(), null, account.id());
            out.printf(
                    "  landing %s: %s waiting for ingest%n", config.webhooks().landingPath(), inbox.summary());
        } catch (RuntimeException e) {
            out.printf("  landing %s: cannot be read (%s)%n", config.webhooks().landingPath(), e.getMessage());
        }
        return ExitCode.OK.code;
    }

    public static int uninstall(EtlConfig config, PrintStream out) {
        WebhookSubscription s = new WebhookSubscription(config, out);
        Hook h = s.find();
        String shown = Destinations.redact(s.destination);
        if (h == null) {
            out.printf("webhooks uninstall: no webhook for %s; nothing changed%n", shown);
            return ExitCode.OK.code;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("destination", s.destination);
        s.client.send("DELETE", "/api/v4/webhooks", body);
        out.printf(
                "webhooks uninstall: webhook %d for %s removed; deletions still arrive through events at each ingest%n",
                h.id(), shown);
        return ExitCode.OK.code;
    }

    private AccountIdentity account() {
        try {
            return AccountIdentity.of(
                    client.getObject(Entities.get(Tables.ACCOUNT).path()));
        } catch (IllegalArgumentException e) {
            throw new EtlException(ExitCode.UNEXPECTED, e.getMessage());
        }
    }

    /**
     * This destination's webhook, or null. The whole list is read and matched here rather than with
     * {@code filter[destination]}: the destination holds a secret, and a query string ends up in
     * error messages and the server's logs.
     */
    Hook find() {
        JsonNode list = client.getObject("/api/v4/webhooks");
        if (list == null) {
            return null;
        }
        for (JsonNode w : list.path("_embedded").path("webhooks")) {
            if (destination.equals(w.path("destination").asText())) {
                List<String> settings = new ArrayList<>();
                w.path("settings").forEach(x -> settings.add(x.asText()));
                return new Hook(w.path("id").asLong(), w.path("disabled").asBoolean(false), settings);
            }
        }
        return null;
    }

    private static String changes(List<String> had) {
        Set<String> added = new LinkedHashSet<>(SETTINGS);
        had.forEach(added::remove);
        Set<String> dropped = new LinkedHashSet<>(had);
        SETTINGS.forEach(dropped::remove);
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added " + String.join(", ", added));
        }
        if (!dropped.isEmpty()) {
            parts.add("dropped " + String.join(", ", dropped));
        }
        return String.join("; ", parts);
    }
}
