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
 * as an unsorted delete whose {@code action} is the outcome. Anything the subscription does not
 * ask for (another entity, another action) is refused: the receiver only lands what ingest applies.
 */
final class DeliveryReader {
    /** What one accepted delivery says. */
    record Delivery(long accountId, String subdomain, List<WebhookSignal> signals) {}

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final Pattern INDEX = Pattern.compile("[0-9]{1,5}");
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private DeliveryReader() {}

    static Delivery read(Map<String, Object> form, AccountIdentity expected) throws Refusal {
        Map<String, Object> account =
                group(form.get("account"), 403, "no account block: not from the configured account");
        String id = account.get("id") instanceof String s ? s : "";
        String subdomain = account.get("subdomain") instanceof String s ? s : null;
        if (!DIGITS.matcher(id).matches() || !expected.matches(Long.parseLong(id), subdomain)) {
            throw new Refusal(403, "not from the configured account");
        }
        List<WebhookSignal> signals = new ArrayList<>();
        for (Map.Entry<String, Object> e : form.entrySet()) {
            if (e.getKey().equals("account")) {
                continue; // checked above
            }
            List<EntityFacts> carried = EntityFacts.byWebhookKey(e.getKey());
            if (carried.isEmpty()) {
                throw new Refusal(422, "unknown entity '" + printable(e.getKey()) + "'");
            }
            read(e.getValue(), e.getKey(), carried, signals);
        }
        if (signals.isEmpty()) {
            throw new Refusal(422, "no deletions or restores in the delivery");
        }
        return new Delivery(Long.parseLong(id), subdomain, List.copyOf(signals));
    }

    /** A block of one top-level key, whose items are entities of the {@code carried} tables. */
    private static void read(Object block, String key, List<EntityFacts> carried, List<WebhookSignal> out)
            throws Refusal {
        String entity = carried.get(0).table();
        for (Map.Entry<String, Object> a :
                group(block, 422, "malformed " + entity + " block").entrySet()) {
            if (!carried.get(0).webhookActions().contains(a.getKey())) {
                throw new Refusal(422, "unsupported action '" + printable(a.getKey()) + "' for " + entity);
            }
            for (Map.Entry<String, Object> i :
                    group(a.getValue(), 422, "malformed " + entity + " block").entrySet()) {
                if (!INDEX.matcher(i.getKey()).matches()) {
                    throw new Refusal(422, "malformed " + entity + " block: index is not a number");
                }
                Map<String, Object> item = group(i.getValue(), 422, "malformed " + entity + " item");
                // Handled unsorted items are named by uid and outcome, not by id (docs/amocrm-api.md §6.2).
                out.add(
                        EntityFacts.finalDeletions(entity)
                                ? unsorted(entity, item)
                                : item(key, carried, a.getKey(), item));
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
