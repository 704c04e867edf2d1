package io.amocrmetl.catalog;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
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
    private void readObject(
            Shape s, int[] map, JsonParser p, Object[] row, Drift drift, String path, boolean[] minorSeen)
            throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            Shape.Slot slot = s.slots.get(name);
            if (slot == null) {
                if (!s.ignored.contains(name)) {
                    drift.add(Drift.NEW_FIELD, path + name, JsonScalars.raw(p));
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
                    String r = JsonScalars.raw(p);
                    if (!r.equals("[]")) {
                        drift.add(Drift.ODD_VALUE, path + name, r);
                    }
                } else if (v != JsonToken.VALUE_NULL) {
                    drift.add(Drift.ODD_VALUE, path + name, JsonScalars.raw(p));
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
            throw new JsonParseException(
                    p, "an object of " + (path.isEmpty() ? "the item" : path) + " did not end where expected");
        }
    }

    /** The value at the parser's current token for the slot; null (and a drift note) when odd. */
    private Object value(Shape.Slot slot, JsonParser p, JsonToken v, Drift drift, String path) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        Object x = switch (slot.kind()) {
            case LONG -> JsonScalars.asLong(p, v);
            case INT -> {
                Long l = JsonScalars.asLong(p, v);
                yield l == null || l != l.intValue() ? null : (Object) l.intValue();
            }
            case DOUBLE -> JsonScalars.asDouble(p, v);
            case STRING -> v.isScalarValue() ? UTF8String.fromString(p.getText()) : null;
            case BOOL -> JsonScalars.asBool(p, v);
            case TIMESTAMP -> {
                Long secs = JsonScalars.asLong(p, v);
                yield secs == null || Math.abs(secs) > 100_000_000_000L ? null : (Object) (secs * 1_000_000L);
            }
            case MONEY, MONEY_MINOR -> JsonScalars.asMoney(p, v);
            case JSON -> UTF8String.fromString(JsonScalars.raw(p));
            case CUSTOM_FIELDS -> v == JsonToken.START_ARRAY ? CustomFieldsReader.read(p, drift, path) : null;
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
            drift.add(Drift.ODD_VALUE, path, JsonScalars.raw(p));
        }
        return x;
    }

    /** {@code {"text": ...}}, or {@code []} for none; an odd shape is noted here (it was consumed). */
    private static Object resultText(JsonParser p, JsonToken v, Drift drift, String path) throws IOException {
        if (v == JsonToken.START_ARRAY) {
            String r = JsonScalars.raw(p);
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
                drift.add(Drift.NEW_FIELD, path + "." + f, JsonScalars.raw(p));
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
                drift.add(Drift.ODD_VALUE, path + "[]", JsonScalars.raw(p));
            }
        }
        return new GenericArrayData(items.toArray());
    }

    private GenericInternalRow struct(Shape element, JsonParser p, Drift drift, String path) throws IOException {
        Object[] values = new Object[element.schema.size()];
        readObject(element, null, p, values, drift, path, new boolean[1]);
        return new GenericInternalRow(values);
    }

    /** A null that is not odd (an empty task result). */
    private static final Object NONE = new Object();
}
