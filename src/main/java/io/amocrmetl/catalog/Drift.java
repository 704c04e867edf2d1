package io.amocrmetl.catalog;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * What one row carried that the schema did not expect (schema drift never fails a run:
 * docs/lakehouse.md): a new field, a value of an odd shape, or a custom field of an unknown type. Each becomes
 * one element of the row's {@code _drift} column, with the raw JSON, so nothing is lost; the
 * counts go to the journal and {@code _schema_changes}.
 */
public final class Drift {
    /** A field the shape does not know. */
    public static final String NEW_FIELD = "new_field";
    /** A known field whose value does not fit its column (the column is null). */
    public static final String ODD_VALUE = "odd_value";
    /** A custom field whose {@code field_type} is not in docs/amocrm-api.md §2.3. */
    public static final String UNKNOWN_FIELD_TYPE = "unknown_field_type";

    private final List<String[]> notes = new ArrayList<>();

    void add(String kind, String field, String raw) {
        notes.add(new String[] {kind, field, raw});
    }

    boolean isEmpty() {
        return notes.isEmpty();
    }

    int size() {
        return notes.size();
    }

    String kind(int i) {
        return notes.get(i)[0];
    }

    void clear() {
        notes.clear();
    }

    /** The {@code _drift} value: null when nothing drifted. */
    Object toColumn() {
        if (notes.isEmpty()) {
            return null;
        }
        Object[] out = new Object[notes.size()];
        for (int i = 0; i < out.length; i++) {
            String[] n = notes.get(i);
            out[i] = new GenericInternalRow(
                    new Object[] {UTF8String.fromString(n[0]), UTF8String.fromString(n[1]), UTF8String.fromString(n[2])
                    });
        }
        return new GenericArrayData(out);
    }

    /** For tests and messages. */
    static String describe(InternalRow row) {
        return row.getUTF8String(0) + " " + row.getUTF8String(1);
    }
}
