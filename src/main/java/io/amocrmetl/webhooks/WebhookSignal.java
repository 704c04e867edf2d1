package io.amocrmetl.webhooks;

/**
 * One change a delivery reports (docs/amocrm-api.md §6.2), as ingest applies it.
 *
 * @param entity the lake's entity table: leads, contacts, companies, tasks or unsorted
 * @param key the entity's key: its id, or an unsorted item's uid
 * @param action "delete" or "restore"
 * @param outcome for unsorted, "accept" or "decline" (amoCRM reports both as a delete); else null
 */
public record WebhookSignal(String entity, String key, String action, String outcome) {
    public boolean delete() {
        return "delete".equals(action);
    }
}
