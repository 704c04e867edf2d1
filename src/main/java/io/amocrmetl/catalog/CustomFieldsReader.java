package io.amocrmetl.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/** Reads {@code custom_fields_values} into the array of field rows the lake keeps. */
final class CustomFieldsReader {
    /** The field types docs/amocrm-api.md §2.3 lists; any other is drift. */
    static final Set<String> FIELD_TYPES = Set.of(
            "text",
            "numeric",
            "checkbox",
            "select",
            "multiselect",
            "multitext",
            "date",
            "url",
            "textarea",
            "radiobutton",
            "streetaddress",
            "smart_address",
            "birthday",
            "legal_entity",
            "date_time",
            "items",
            "category",
            "price",
            "tracking_data",
            "linked_entity",
            "org_legal_name",
            "monetary",
            "chained_list",
            "file",
            "payer",
            "supplier");

    private CustomFieldsReader() {}

    /**
     * {@code custom_fields_values} (docs/amocrm-api.md §2.3): each field with its values; a value is kept
     * as text, and an object-shaped one (legal_entity, items, ...) as its JSON text. A field type
     * outside §2.3 is drift: its values are still kept, raw.
     */
    static GenericArrayData read(JsonParser p, Drift drift, String path) throws IOException {
        ArrayList<Object> fields = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                drift.add(Drift.ODD_VALUE, path + "[]", JsonScalars.raw(p));
                continue;
            }
            Object[] f = new Object[5];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "field_id" -> f[0] = JsonScalars.asLong(p, v);
                    case "field_name" ->
                        f[1] = v.isScalarValue() && v != JsonToken.VALUE_NULL
                                ? UTF8String.fromString(p.getText())
                                : null;
                    case "field_code" ->
                        f[2] = v.isScalarValue() && v != JsonToken.VALUE_NULL
                                ? UTF8String.fromString(p.getText())
                                : null;
                    case "field_type" ->
                        f[3] = v.isScalarValue() && v != JsonToken.VALUE_NULL
                                ? UTF8String.fromString(p.getText())
                                : null;
                    case "values" -> f[4] = v == JsonToken.START_ARRAY ? fieldValues(p, drift, path) : null;
                    default -> drift.add(Drift.NEW_FIELD, path + "[]." + name, JsonScalars.raw(p));
                }
            }
            if (f[3] != null && !FIELD_TYPES.contains(f[3].toString())) {
                drift.add(Drift.UNKNOWN_FIELD_TYPE, path + "." + f[0], f[3].toString());
            }
            fields.add(new GenericInternalRow(f));
        }
        return new GenericArrayData(fields.toArray());
    }

    private static GenericArrayData fieldValues(JsonParser p, Drift drift, String path) throws IOException {
        ArrayList<Object> values = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Object[] v = new Object[3];
            if (t != JsonToken.START_OBJECT) {
                // A bare value instead of {value: ...}: keep it as the value.
                v[0] = t == JsonToken.VALUE_NULL
                        ? null
                        : UTF8String.fromString(t.isScalarValue() ? p.getText() : JsonScalars.raw(p));
                values.add(new GenericInternalRow(v));
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken x = p.nextToken();
                switch (name) {
                    case "value" ->
                        v[0] = x == JsonToken.VALUE_NULL
                                ? null
                                : UTF8String.fromString(x.isScalarValue() ? p.getText() : JsonScalars.raw(p));
                    case "enum_id" -> v[1] = JsonScalars.asLong(p, x);
                    case "enum_code" ->
                        v[2] = x.isScalarValue() && x != JsonToken.VALUE_NULL
                                ? UTF8String.fromString(p.getText())
                                : null;
                    default -> drift.add(Drift.NEW_FIELD, path + ".values[]." + name, JsonScalars.raw(p));
                }
            }
            values.add(new GenericInternalRow(v));
        }
        return new GenericArrayData(values.toArray());
    }
}
