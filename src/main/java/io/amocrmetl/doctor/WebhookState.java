package io.amocrmetl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoApiException;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.core.ExitCode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The deletion webhooks' state (docs/amocrm-api.md §6.1): read-only, one {@code GET /api/v4/webhooks}
 * (admin only, at most 100 per account, so the list is read whole and filtered here: the
 * destination's path is a secret and stays out of request lines). The destination is shown by
 * host only.
 */
final class WebhookState {
    /** The delete actions the product subscribes to (unsorted, leads, contacts, companies, tasks; docs/amocrm-api.md §6.1). */
    static final List<String> DELETES =
            List.of("delete_unsorted", "delete_lead", "delete_contact", "delete_company", "delete_task");

    private WebhookState() {}

    static Check check(AmoClient client, String destination) {
        if (destination == null) {
            return Check.ok(
                    "webhooks",
                    "none: webhooks.destination is not set, so deletions come from the events each " + "ingest reads");
        }
        String shown = shown(destination);
        JsonNode page;
        try {
            page = client.getObject("/api/v4/webhooks");
        } catch (AmoApiException e) {
            if (e.status() == 403) {
                return Check.error(
                        "webhooks",
                        "amoCRM refused to list webhooks (403): they are admin-only",
                        "connect as an administrator",
                        ExitCode.AUTH);
            }
            throw e;
        }
        for (JsonNode h : page == null
                ? List.<JsonNode>of()
                : iterable(page.path("_embedded").path("webhooks"))) {
            if (!destination.equals(h.path("destination").asText())) {
                continue;
            }
            List<String> missing = new ArrayList<>(DELETES);
            h.path("settings").forEach(s -> missing.remove(s.asText()));
            if (h.path("disabled").asBoolean(false)) {
                return Check.warning(
                        "webhooks",
                        "the webhook for " + shown + " is disabled: amoCRM turns a webhook off after "
                                + "more than 100 failed deliveries in 2 hours (docs/amocrm-api.md §6.3); deletions still come from events",
                        "make sure `webhooks serve` answers at the destination, then run `webhooks install` to enable it again");
            }
            if (!missing.isEmpty()) {
                return Check.warning(
                        "webhooks",
                        "the webhook for " + shown + " does not subscribe " + String.join(", ", missing),
                        "run `webhooks install` to subscribe every deletion");
            }
            return Check.ok(
                    "webhooks",
                    "installed for " + shown + ", enabled, "
                            + h.path("settings").size() + " actions");
        }
        return Check.warning(
                "webhooks",
                "no webhook for " + shown + " is registered in the account",
                "run `webhooks install` (deletions still come from events meanwhile)");
    }

    /** {@code https://etl.example.com/…}: the destination without its secret path. */
    static String shown(String destination) {
        try {
            URI u = URI.create(destination);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/…";
        } catch (IllegalArgumentException e) {
            return "the destination";
        }
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
