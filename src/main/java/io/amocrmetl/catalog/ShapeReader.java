package io.amocrmetl.catalog;

import java.util.ArrayList;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Reads one JSON object from the streaming parser straight into Spark internal values
 * ({@code UTF8String}, {@code Decimal}, microsecond longs, {@code GenericArrayData}, nested
 * {@code GenericInternalRow}), with an explicit switch on the column's {@link Kind}: no Map or
 * POJO per item, and no Spark-internal {@code JacksonParser}. Columns not required (pruned) are
 * skipped unparsed. Anything unexpected is noted in {@link Drift}, never thrown; only broken JSON
 * throws (the page fails and is read again).
 */
final class ShapeReader {
    /** Reference §2.3's field types; any other is drift. */
    static final Set<String> FIELD_TYPES = Set.of("text", "numeric", "checkbox", "select", "multiselect", "multitext",
            "date", "url", "textarea", "radiobutton", "streetaddress", "smart_address", "birthday", "legal_entity",
            "date_time", "items", "category", "price", "tracking_data", "linked_entity", "org_legal_name", "monetary",
            "chained_list", "file", "payer", "supplier");
    private static final long MAX_MONEY_UNSCALED = 999_999_999_999_999_99L;

    private final Shape shape;
    /** Full column index → position in the output row, or -1 when the column is pruned. */
    private final int[] out;

    ShapeReader(Shape shape, int[] out) {
        this.shape = shape;
        this.out = out;
    }

    /**
     * Reads the object the parser is at (START_OBJECT) through its END_OBJECT into {@code row}.
     *
     * @param path the JSON path for drift notes ("" at the top)
     */
    void read(JsonParser p, Object[] row, Drift drift, String path) throws IOException {
        readObject(shape, out, p, row, drift, path, new boolean[1]);
    }

    /**
     * @param map full column index → output position (-1 pruned), or null for every column in order
     * @param minorSeen whether {@code price_with_minor_units} was read (it wins over {@code price})
     */
    private void readObject(Shape s, int[] map, JsonParser p, Object[] row, Drift drift, String path,
                            boolean[] minorSeen) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            Shape.Slot slot = s.slots.get(name);
            if (slot == null) {
                if (!s.ignored.contains(name)) {
                    drift.add(Drift.NEW_FIELD, path + name, raw(p));
                } else {
                    p.skipChildren();
                }
                continue;
            }
            if (slot.kind() == Kind.INLINE) {
                if (v == JsonToken.START_OBJECT) {
                    readObject(slot.nested(), map, p, row, drift, path + name + ".", minorSeen);
                } else if (v == JsonToken.START_ARRAY) {
                    // PHP serialises an empty object as [] (seen on _embedded and result).
                    String r = raw(p);
                    if (!r.equals("[]")) {
                        drift.add(Drift.ODD_VALUE, path + name, r);
                    }
                } else if (v != JsonToken.VALUE_NULL) {
                    drift.add(Drift.ODD_VALUE, path + name, raw(p));
                }
                continue;
            }
            int at = map == null ? slot.column() : map[slot.column()];
            if (at < 0) {
                p.skipChildren();
                continue;
            }
            if (slot.kind() == Kind.MONEY && minorSeen[0]) {
                p.skipChildren();
                continue;
            }
            if (slot.kind() == Kind.MONEY_MINOR) {
                if (v == JsonToken.VALUE_NULL) {
                    continue;
                }
                minorSeen[0] = true;
            }
            row[at] = value(slot, p, v, drift, path + name);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "an object of " + (path.isEmpty() ? "the item" : path)
                    + " did not end where expected");
        }
    }

    /** The value at the parser's current token for the slot; null (and a drift note) when odd. */
    private Object value(Shape.Slot slot, JsonParser p, JsonToken v, Drift drift, String path) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        Object x = switch (slot.kind()) {
            case LONG -> asLong(p, v);
            case INT -> {
                Long l = asLong(p, v);
                yield l == null || l != l.intValue() ? null : (Object) l.intValue();
            }
            case DOUBLE -> asDouble(p, v);
            case STRING -> v.isScalarValue() ? UTF8String.fromString(p.getText()) : null;
            case BOOL -> asBool(p, v);
            case TIMESTAMP -> {
                Long secs = asLong(p, v);
                yield secs == null || Math.abs(secs) > 100_000_000_000L ? null : (Object) (secs * 1_000_000L);
            }
            case MONEY, MONEY_MINOR -> asMoney(p, v);
            case JSON -> UTF8String.fromString(raw(p));
            case CUSTOM_FIELDS -> v == JsonToken.START_ARRAY ? customFields(p, drift, path) : null;
            case RESULT_TEXT -> resultText(p, v, drift, path);
            case ARRAY -> v == JsonToken.START_ARRAY ? array(slot.nested(), p, drift, path) : null;
            case STRUCT -> v == JsonToken.START_OBJECT ? struct(slot.nested(), p, drift, path + ".") : null;
            case INLINE -> throw new IllegalStateException("inline handled by the caller");
        };
        if (x == NONE) {
            return null;
        }
        if (x == null) {
            // Odd: the value did not fit. Keep it raw (the parser has not moved past it yet).
            drift.add(Drift.ODD_VALUE, path, raw(p));
        }
        return x;
    }

    private static Long asLong(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Double asDouble(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Double.parseDouble(p.getText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Boolean asBool(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT -> p.getLongValue() == 1 ? Boolean.TRUE : p.getLongValue() == 0 ? Boolean.FALSE : null;
            case VALUE_STRING -> switch (p.getText().trim()) {
                case "1", "true" -> Boolean.TRUE;
                case "0", "false" -> Boolean.FALSE;
                default -> null;
            };
            default -> null;
        };
    }

    private static Decimal asMoney(JsonParser p, JsonToken v) throws IOException {
        BigDecimal d;
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            d = p.getDecimalValue();
        } else if (v == JsonToken.VALUE_STRING) {
            try {
                d = new BigDecimal(p.getText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        BigDecimal scaled = d.setScale(2, RoundingMode.HALF_UP);
        if (scaled.unscaledValue().bitLength() > 63 || Math.abs(scaled.unscaledValue().longValue()) > MAX_MONEY_UNSCALED) {
            return null;
        }
        return Decimal.apply(scaled.unscaledValue().longValue(), 18, 2);
    }

    /** {@code {"text": ...}}, or {@code []} for none; an odd shape is noted here (it was consumed). */
    private static Object resultText(JsonParser p, JsonToken v, Drift drift, String path) throws IOException {
        if (v == JsonToken.START_ARRAY) {
            String r = raw(p);
            if (!r.equals("[]")) {
                drift.add(Drift.ODD_VALUE, path, r);
            }
            return NONE;
        }
        if (v != JsonToken.START_OBJECT) {
            return null;
        }
        Object text = NONE;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken x = p.nextToken();
            if (f.equals("text") && x.isScalarValue()) {
                text = x == JsonToken.VALUE_NULL ? NONE : UTF8String.fromString(p.getText());
            } else {
                drift.add(Drift.NEW_FIELD, path + "." + f, raw(p));
            }
        }
        return text;
    }

    private GenericArrayData array(Shape element, JsonParser p, Drift drift, String path) throws IOException {
        ArrayList<Object> items = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT) {
                items.add(struct(element, p, drift, path + "[]."));
            } else {
                drift.add(Drift.ODD_VALUE, path + "[]", raw(p));
            }
        }
        return new GenericArrayData(items.toArray());
    }

    private GenericInternalRow struct(Shape element, JsonParser p, Drift drift, String path) throws IOException {
        Object[] values = new Object[element.schema.size()];
        readObject(element, null, p, values, drift, path, new boolean[1]);
        return new GenericInternalRow(values);
    }

    /**
     * {@code custom_fields_values} (reference §2.3): each field with its values; a value is kept
     * as text, and an object-shaped one (legal_entity, items, ...) as its JSON text. A field type
     * outside §2.3 is drift: its values are still kept, raw.
     */
    private GenericArrayData customFields(JsonParser p, Drift drift, String path) throws IOException {
        ArrayList<Object> fields = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                drift.add(Drift.ODD_VALUE, path + "[]", raw(p));
                continue;
            }
            Object[] f = new Object[5];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "field_id" -> f[0] = asLong(p, v);
                    case "field_name" -> f[1] = v.isScalarValue() && v != JsonToken.VALUE_NULL ? UTF8String.fromString(p.getText()) : null;
                    case "field_code" -> f[2] = v.isScalarValue() && v != JsonToken.VALUE_NULL ? UTF8String.fromString(p.getText()) : null;
                    case "field_type" -> f[3] = v.isScalarValue() && v != JsonToken.VALUE_NULL ? UTF8String.fromString(p.getText()) : null;
                    case "values" -> f[4] = v == JsonToken.START_ARRAY ? fieldValues(p, drift, path) : null;
                    default -> drift.add(Drift.NEW_FIELD, path + "[]." + name, raw(p));
                }
            }
            if (f[3] != null && !FIELD_TYPES.contains(f[3].toString())) {
                drift.add(Drift.UNKNOWN_FIELD_TYPE, path + "." + f[0], f[3].toString());
            }
            fields.add(new GenericInternalRow(f));
        }
        return new GenericArrayData(fields.toArray());
    }

    private GenericArrayData fieldValues(JsonParser p, Drift drift, String path) throws IOException {
        ArrayList<Object> values = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Object[] v = new Object[3];
            if (t != JsonToken.START_OBJECT) {
                // A bare value instead of {value: ...}: keep it as the value.
                v[0] = t == JsonToken.VALUE_NULL ? null : UTF8String.fromString(t.isScalarValue() ? p.getText() : raw(p));
                values.add(new GenericInternalRow(v));
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken x = p.nextToken();
                switch (name) {
                    case "value" -> v[0] = x == JsonToken.VALUE_NULL ? null
                            : UTF8String.fromString(x.isScalarValue() ? p.getText() : raw(p));
                    case "enum_id" -> v[1] = asLong(p, x);
                    case "enum_code" -> v[2] = x.isScalarValue() && x != JsonToken.VALUE_NULL ? UTF8String.fromString(p.getText()) : null;
                    default -> drift.add(Drift.NEW_FIELD, path + ".values[]." + name, raw(p));
                }
            }
            values.add(new GenericInternalRow(v));
        }
        return new GenericArrayData(values.toArray());
    }

    /** The current value as JSON text; the parser ends on the value's last token. */
    static String raw(JsonParser p) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON_FACTORY.createGenerator(w)) {
            g.copyCurrentStructure(p);
        }
        return w.toString();
    }

    /** A null that is not odd (an empty task result). */
    private static final Object NONE = new Object();

    private static final JsonFactory JSON_FACTORY = new JsonFactory();
}
