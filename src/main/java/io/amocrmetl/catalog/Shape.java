package io.amocrmetl.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How one JSON object maps to columns: each known field names its column and its {@link Kind};
 * an {@code inline} field is an object whose own fields become columns of the same row (the
 * {@code _embedded} block, a user's {@code rights}); {@code ignore}d fields are known and dropped
 * ({@code _links}). Any other field is schema drift: kept raw and counted, never fatal (docs/lakehouse.md).
 *
 * <p>Built once per entity; immutable after {@link Builder#build()}.
 */
public final class Shape {
    /** One JSON field: where it goes and how it is read. {@code column} is -1 for inline objects. */
    record Slot(String json, Kind kind, int column, Shape nested) {}

    final StructType schema;
    final Map<String, Slot> slots;
    final Set<String> ignored;
    /** Columns filled from the page's context rather than the item (e.g. notes' entity_type). */
    final Map<Integer, String> contextColumns;

    private Shape(
            StructType schema, Map<String, Slot> slots, Set<String> ignored, Map<Integer, String> contextColumns) {
        this.schema = schema;
        this.slots = slots;
        this.ignored = ignored;
        this.contextColumns = contextColumns;
    }

    public StructType schema() {
        return schema;
    }

    static Builder builder() {
        return new Builder(new ArrayList<>());
    }

    /** A shape for a nested struct (array elements): its columns are the struct's fields. */
    static Shape struct(Consumer<Builder> fields) {
        Builder b = new Builder(new ArrayList<>());
        fields.accept(b);
        return b.build();
    }

    /** Builds a shape; inline sub-objects share the parent's column list. */
    static final class Builder {
        private final List<StructField> columns;
        private final Map<String, Slot> slots = new HashMap<>();
        private final Set<String> ignored = new HashSet<>();
        private final Map<Integer, String> context = new HashMap<>();
        private final Map<String, Builder> inlines = new HashMap<>();

        private Builder(List<StructField> columns) {
            this.columns = columns;
        }

        /** A scalar or JSON column named as its JSON field. */
        Builder col(String json, Kind kind) {
            return col(json, json, kind);
        }

        Builder col(String json, String column, Kind kind) {
            if (kind == Kind.ARRAY || kind == Kind.STRUCT) {
                throw new IllegalArgumentException("use array()/struct() for " + json);
            }
            return add(json, column, kind, kind.sparkType(), null);
        }

        /** An array of objects, each read with {@code element}. */
        Builder array(String json, String column, Shape element) {
            return add(json, column, Kind.ARRAY, DataTypes.createArrayType(element.schema, true), element);
        }

        /** An object read as a struct column. */
        Builder struct(String json, String column, Shape element) {
            return add(json, column, Kind.STRUCT, element.schema, element);
        }

        /**
         * A second JSON field feeding an existing column (lead {@code price_with_minor_units}
         * beside {@code price}); the reader decides which wins by the kinds.
         */
        Builder alias(String json, String column, Kind kind) {
            int at = columns.stream().map(StructField::name).toList().indexOf(column);
            if (at < 0) {
                throw new IllegalArgumentException("no column " + column + " to alias");
            }
            slots.put(json, new Slot(json, kind, at, null));
            return this;
        }

        /** An object whose fields become columns of this row. */
        Builder inline(String json, Consumer<Builder> fields) {
            Builder sub = new Builder(columns);
            fields.accept(sub);
            inlines.put(json, sub);
            return this;
        }

        /** Known fields that carry nothing the lake keeps. */
        Builder ignore(String... json) {
            ignored.addAll(List.of(json));
            return this;
        }

        /** A column whose value comes from the page's context (not the JSON), e.g. entity_type. */
        Builder context(String column, DataType type, String key) {
            context.put(columns.size(), key);
            columns.add(new StructField(column, type, true, Metadata.empty()));
            return this;
        }

        private Builder add(String json, String column, Kind kind, DataType type, Shape nested) {
            if (columns.stream().anyMatch(f -> f.name().equals(column))) {
                throw new IllegalArgumentException("column " + column + " defined twice");
            }
            slots.put(json, new Slot(json, kind, columns.size(), nested));
            columns.add(new StructField(column, type, true, Metadata.empty()));
            return this;
        }

        Shape build() {
            StructType schema = new StructType(columns.toArray(new StructField[0]));
            return finish(schema);
        }

        private Shape finish(StructType schema) {
            Map<String, Slot> all = new HashMap<>(slots);
            for (Map.Entry<String, Builder> e : inlines.entrySet()) {
                Shape inner = e.getValue().finish(schema);
                all.put(e.getKey(), new Slot(e.getKey(), Kind.INLINE, -1, inner));
                context.putAll(e.getValue().context);
            }
            return new Shape(schema, Map.copyOf(all), Set.copyOf(ignored), Map.copyOf(context));
        }
    }
}
