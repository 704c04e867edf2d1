package io.amocrmetl.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amocrmetl.catalog.Columns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One accepted delivery as landed: an id of its own, when it was received (the receiver's clock;
 * a webhook carries no time, docs/amocrm-api.md §6.2), the account, what it says, and the form as
 * received, for audit. JSON inside a frame.
 */
record LandingRecord(
        String id, long receivedAtMillis, long accountId, String subdomain, List<WebhookSignal> signals, String form) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    byte[] toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("v", 1);
        n.put("id", id);
        n.put("received_at", receivedAtMillis);
        n.put(Columns.ACCOUNT_ID, accountId);
        n.put("subdomain", subdomain);
        ArrayNode a = n.putArray("signals");
        for (WebhookSignal s : signals) {
            ObjectNode o = a.addObject();
            o.put("entity", s.entity());
            o.put("key", s.key());
            o.put("action", s.action());
            if (s.outcome() != null) {
                o.put("outcome", s.outcome());
            }
        }
        n.put("form", form);
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static LandingRecord fromJson(byte[] json) throws IOException {
        JsonNode n = MAPPER.readTree(json);
        if (n == null || n.path("v").asInt() != 1 || !n.path("signals").isArray()) {
            throw new IOException("not a landing record of version 1");
        }
        List<WebhookSignal> signals = new ArrayList<>();
        for (JsonNode s : n.get("signals")) {
            signals.add(new WebhookSignal(
                    s.path("entity").asText(),
                    s.path("key").asText(),
                    s.path("action").asText(),
                    s.hasNonNull("outcome") ? s.get("outcome").asText() : null));
        }
        return new LandingRecord(
                n.path("id").asText(),
                n.path("received_at").asLong(),
                n.path(Columns.ACCOUNT_ID).asLong(),
                n.path("subdomain").asText(),
                List.copyOf(signals),
                n.path("form").asText(""));
    }
}
