package io.amocrmetl.sandbox.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.FieldValue;
import io.amocrmetl.sandbox.model.TagRef;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pieces every API v4 item shares (docs/amocrm-api.md §2): {@code _links.self} under the
 * sandbox's base URL, the audit fields, id references, tags, custom field values (with the
 * served type {@link SchemaDrift} may change) and the extra fields drift injects.
 */
final class JsonParts {
    private final String base;
    private final SchemaDrift drift;

    JsonParts(String baseUrl, SchemaDrift drift) {
        this.base = baseUrl;
        this.drift = drift;
    }

    /** Drift injected for tests: extra (or repeated) fields at the end of an item. */
    void extras(JsonGenerator g, String entity) throws IOException {
        for (Map.Entry<String, String> e : drift.extraFields(entity).entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeRawValue(e.getValue());
        }
    }

    void self(JsonGenerator g, String path) throws IOException {
        g.writeObjectFieldStart("_links");
        g.writeObjectFieldStart("self");
        g.writeStringField("href", base + path);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** created_by, updated_by, created_at, updated_at: in every entity, in this order. */
    static void audit(JsonGenerator g, long createdBy, long updatedBy, long createdAt, long updatedAt)
            throws IOException {
        g.writeNumberField("created_by", createdBy);
        g.writeNumberField("updated_by", updatedBy);
        g.writeNumberField("created_at", createdAt);
        g.writeNumberField("updated_at", updatedAt);
    }

    void idRef(JsonGenerator g, long id, String path) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", id);
        self(g, path + id);
        g.writeEndObject();
    }

    void idRefs(JsonGenerator g, String name, Long id, String path) throws IOException {
        g.writeArrayFieldStart(name);
        if (id != null) {
            idRef(g, id, path);
        }
        g.writeEndArray();
    }

    static void emptyArraysFor(JsonGenerator g, Set<String> with, String... names) throws IOException {
        for (String n : names) {
            if (with.contains(n)) {
                g.writeArrayFieldStart(n);
                g.writeEndArray();
            }
        }
    }

    void customFields(JsonGenerator g, List<CustomFieldValue> values) throws IOException {
        if (values == null) {
            g.writeNullField("custom_fields_values");
            return;
        }
        g.writeArrayFieldStart("custom_fields_values");
        for (CustomFieldValue v : values) {
            g.writeStartObject();
            g.writeNumberField("field_id", v.fieldId());
            g.writeStringField("field_name", v.fieldName());
            g.writeStringField("field_code", v.fieldCode());
            g.writeStringField("field_type", drift.servedType(v.fieldId(), v.fieldType()));
            g.writeArrayFieldStart("values");
            for (FieldValue fv : v.values()) {
                g.writeStartObject();
                g.writeFieldName("value");
                Json.value(g, fv.value());
                if (fv.enumId() != null) {
                    g.writeNumberField("enum_id", fv.enumId());
                }
                if (fv.enumCode() != null) {
                    g.writeStringField("enum_code", fv.enumCode());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    void tags(JsonGenerator g, List<TagRef> tags) throws IOException {
        g.writeArrayFieldStart("tags");
        for (TagRef t : tags) {
            g.writeStartObject();
            g.writeNumberField("id", t.id());
            g.writeStringField("name", t.name());
            g.writeStringField("color", t.color());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
