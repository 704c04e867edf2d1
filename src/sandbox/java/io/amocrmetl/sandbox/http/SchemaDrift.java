package io.amocrmetl.sandbox.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Schema drift on demand, for testing that it never fails a run (docs/sandbox.md):
 * extra fields written into every item of an entity's lists (a new field; or a known field
 * written a second time with an odd value, which a parser sees last), and custom fields served
 * with a type docs/amocrm-api.md does not list (§2.3).
 */
public final class SchemaDrift {
    private final Map<String, Map<String, String>> extra = new ConcurrentHashMap<>();
    private final Map<Long, String> fieldTypes = new ConcurrentHashMap<>();

    /**
     * Every item of {@code entity} (leads, contacts, companies, tasks, notes, events) gains
     * {@code name} with the raw JSON value {@code json}.
     */
    public SchemaDrift extraField(String entity, String name, String json) {
        extra.computeIfAbsent(entity, k -> new ConcurrentHashMap<>()).put(name, json);
        return this;
    }

    /** Custom field {@code fieldId} is served with {@code type} as its field_type. */
    public SchemaDrift fieldType(long fieldId, String type) {
        fieldTypes.put(fieldId, type);
        return this;
    }

    public void clear() {
        extra.clear();
        fieldTypes.clear();
    }

    Map<String, String> extraFields(String entity) {
        return extra.getOrDefault(entity, Map.of());
    }

    String servedType(long fieldId, String served) {
        return fieldTypes.getOrDefault(fieldId, served);
    }
}
