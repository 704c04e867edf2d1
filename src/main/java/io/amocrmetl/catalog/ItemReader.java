package io.amocrmetl.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Turns list items of one entity into rows of a required schema (after column pruning). One per
 * partition reader; not thread-safe.
 */
public final class ItemReader {
    private final EntitySpec spec;
    private final ShapeReader shape;
    private final int width;
    /** Output positions of context columns (or -1), of account_id (or -1), and of _drift (or -1). */
    private final int[] contextAt;

    private final String[] contextKey;
    private final int accountAt;
    private final int driftAt;
    private final Drift drift = new Drift();

    ItemReader(EntitySpec spec, StructType required) {
        this.spec = spec;
        StructType full = spec.shape().schema;
        this.width = required.size();
        int[] out = new int[full.size()];
        Arrays.fill(out, -1);
        int drift = -1;
        for (int i = 0; i < required.size(); i++) {
            String name = required.fields()[i].name();
            if (name.equals(EntitySpec.DRIFT)) {
                drift = i;
                continue;
            }
            int at = fieldIndex(full, name);
            if (at < 0) {
                throw new IllegalArgumentException(spec.name() + " has no column " + name);
            }
            out[at] = i;
        }
        this.driftAt = drift;
        this.shape = new ShapeReader(spec.shape(), out);
        Map<Integer, String> ctx = spec.shape().contextColumns;
        this.contextAt = new int[ctx.size()];
        this.contextKey = new String[ctx.size()];
        int k = 0;
        for (Map.Entry<Integer, String> e : ctx.entrySet()) {
            contextAt[k] = out[e.getKey()];
            contextKey[k++] = e.getValue();
        }
        int account = fieldIndex(full, "account_id");
        this.accountAt = account < 0 ? -1 : out[account];
    }

    private static int fieldIndex(StructType t, String name) {
        String[] names = t.fieldNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Reads the item the parser is at (START_OBJECT) through its END_OBJECT and hands its rows
     * (one, or for statuses one per element of the fan-out array) to {@code sink}.
     *
     * @param context values of the context columns ("entity_type", "catalog_id") and "account_id"
     */
    public void read(JsonParser p, Map<String, Object> context, Consumer<InternalRow> sink) throws IOException {
        if (spec.fanOut() == null) {
            sink.accept(one(p, context));
            return;
        }
        // Statuses: walk the pipeline to _embedded.statuses; the pipeline's own fields belong to
        // the pipelines entity, which checks them for drift.
        String[] path = spec.fanOut().split("\\.");
        fanOut(p, path, 0, context, sink);
    }

    private void fanOut(JsonParser p, String[] path, int depth, Map<String, Object> context, Consumer<InternalRow> sink)
            throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!name.equals(path[depth])) {
                p.skipChildren();
            } else if (depth + 1 < path.length && v == JsonToken.START_OBJECT) {
                fanOut(p, path, depth + 1, context, sink);
            } else if (depth + 1 == path.length && v == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    sink.accept(one(p, context));
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private InternalRow one(JsonParser p, Map<String, Object> context) throws IOException {
        Object[] row = new Object[width];
        drift.clear();
        shape.read(p, row, drift, "");
        for (int k = 0; k < contextAt.length; k++) {
            if (contextAt[k] >= 0) {
                Object v = context.get(contextKey[k]);
                row[contextAt[k]] = v instanceof String s ? UTF8String.fromString(s) : v;
            }
        }
        if (accountAt >= 0 && row[accountAt] == null) {
            row[accountAt] = context.get("account_id");
        }
        if (driftAt >= 0) {
            row[driftAt] = drift.toColumn();
        }
        return new GenericInternalRow(row);
    }

    /** Where {@code _drift} sits in the rows this reader makes, or -1 when it was not asked for. */
    public int driftColumn() {
        return driftAt;
    }

    public EntitySpec spec() {
        return spec;
    }
}
