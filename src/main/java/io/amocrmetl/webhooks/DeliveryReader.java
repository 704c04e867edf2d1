package io.amocrmetl.webhooks;

import io.amocrmetl.catalog.EntityFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed form as a delivery of deletions and restores (docs/amocrm-api.md §6.2): checks it comes from the
 * configured account, then reads each entity block. Companies arrive under {@code contacts} with
 * {@code type=company}; tasks under {@code task}; accepting or declining an unsorted item arrives
 * as an unsorted delete whose {@code action} is the outcome.
 *
 * <p>Only a delivery that is not from the account (no account block, another id) is refused. Once the
 * account is ours, whatever else the delivery holds is accepted and landed raw: an entity or action
 * the subscription did not ask for, an item this version cannot read, or a renamed subdomain are
 * drift, counted, never a 4xx, since amoCRM turns off a webhook after 100 failed deliveries in two
 * hours (docs/webhooks.md).
 */
final class DeliveryReader {
    /**
     * What one accepted delivery says.
     *
     * @param drift what was not read, one note each (entity, action, item or subdomain)
     */
    record Delivery(long accountId, String subdomain, List<WebhookSignal> signals, List<String> drift) {}

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final Pattern INDEX = Pattern.compile("[0-9]{1,5}");
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private DeliveryReader() {}

    static Delivery read(Map<String, Object> form, AccountIdentity expected) throws Refusal {
        if (!(form.get("account") instanceof Map<?, ?> account)) {
            throw new Refusal(403, "no account block: not from the configured account");
        }
        String id = account.get("id") instanceof String s ? s : "";
        String subdomain = account.get("subdomain") instanceof String s ? s : null;
        if (!DIGITS.matcher(id).matches() || Long.parseLong(id) != expected.id()) {
            throw new Refusal(403, "not from the configured account");
        }
        List<String> drift = new ArrayList<>();
        if (!expected.matches(expected.id(), subdomain)) {
            // The same account under a new subdomain (a rename): still the account's deliveries.
            drift.add("subdomain " + printable(String.valueOf(subdomain)) + " (the account's id; configured "
                    + printable(expected.subdomain()) + ")");
        }
        List<WebhookSignal> signals = new ArrayList<>();
        for (Map.Entry<String, Object> e : form.entrySet()) {
            if (e.getKey().equals("account")) {
                continue; // checked above
            }
            List<EntityFacts> carried = EntityFacts.byWebhookKey(e.getKey());
            if (carried.isEmpty()) {
                drift.add("entity '" + printable(e.getKey()) + "'");
                continue;
            }
            read(e.getValue(), e.getKey(), carried, signals, drift);
        }
        return new Delivery(Long.parseLong(id), subdomain, List.copyOf(signals), List.copyOf(drift));
    }

    /** A block of one top-level key, whose items are entities of the {@code carried} tables. */
    private static void read(
            Object block, String key, List<EntityFacts> carried, List<WebhookSignal> out, List<String> drift) {
        String entity = carried.get(0).table();
        if (!(block instanceof Map<?, ?> actions)) {
            drift.add("a " + entity + " block that is not a group");
            return;
        }
        for (Map.Entry<?, ?> a : actions.entrySet()) {
            String action = String.valueOf(a.getKey());
            if (!carried.get(0).webhookActions().contains(action)) {
                drift.add("action '" + printable(action) + "' for " + entity);
                continue;
            }
            if (!(a.getValue() instanceof Map<?, ?> items)) {
                drift.add("a " + entity + " " + action + " block that is not a group");
                continue;
            }
            for (Map.Entry<?, ?> i : items.entrySet()) {
                try {
                    if (!INDEX.matcher(String.valueOf(i.getKey())).matches()) {
                        throw new Refusal(422, "an index in the " + entity + " block that is not a number");
                    }
                    Map<String, Object> item = group(i.getValue(), 422, "a " + entity + " item that is not a group");
                    // Handled unsorted items are named by uid and outcome, not by id (docs/amocrm-api.md §6.2).
                    out.add(
                            EntityFacts.finalDeletions(entity)
                                    ? unsorted(entity, item)
                                    : item(key, carried, action, item));
                } catch (Refusal unreadable) {
                    drift.add(unreadable.getMessage());
                }
            }
        }
    }

    private static WebhookSignal item(String key, List<EntityFacts> carried, String action, Map<String, Object> item)
            throws Refusal {
        String entity = carried.get(0).table();
        String id = item.get("id") instanceof String s ? s : "";
        if (!DIGITS.matcher(id).matches() || Long.parseLong(id) == 0) {
            throw new Refusal(422, "an id in the " + entity + " block is not a positive number");
        }
        if (carried.size() > 1) {
            // Companies come in the contacts block, told apart by their singular type (docs/amocrm-api.md §6.2).
            String table = item.get("type") instanceof String type
                    ? EntityFacts.bySingular(type).orElse(null)
                    : null;
            if (carried.stream().noneMatch(f -> f.table().equals(table))) {
                throw new Refusal(
                        422,
                        "a " + key + " item has no type "
                                + String.join(
                                        " or ",
                                        carried.stream()
                                                .map(EntityFacts::singular)
                                                .toList()));
            }
            entity = table;
        }
        return new WebhookSignal(entity, String.valueOf(Long.parseLong(id)), action, null);
    }

    private static WebhookSignal unsorted(String entity, Map<String, Object> item) throws Refusal {
        Object uid = item.get("uid");
        if (!(uid instanceof String u) || !UID.matcher(u).matches()) {
            throw new Refusal(422, "an unsorted item has no valid uid");
        }
        Object outcome = item.get("action");
        if (!"accept".equals(outcome) && !"decline".equals(outcome)) {
            throw new Refusal(422, "an unsorted item's action is not accept or decline");
        }
        return new WebhookSignal(entity, u, "delete", (String) outcome);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> group(Object value, int status, String reason) throws Refusal {
        if (!(value instanceof Map)) {
            throw new Refusal(status, reason);
        }
        return (Map<String, Object>) value;
    }

    /** A name for the log: letters, digits and '_' only, at most 24 characters. */
    static String printable(String s) {
        String clean = s.replaceAll("[^A-Za-z0-9_]", "?");
        return clean.length() > 24 ? clean.substring(0, 24) + "..." : clean;
    }
}
