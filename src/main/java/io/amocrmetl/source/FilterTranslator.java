package io.amocrmetl.source;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Cursor;
import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.EntitySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns Spark's predicates into API parameters where the API applies them
 * (docs/amocrm-api.md §4.2, §4.3): ranges on the cursor and on created_at, {@code id IN}, {@code note_type IN}, event
 * {@code type IN}, {@code pipeline_id IN}, and the entity types of notes, tags and custom fields
 * (which choose endpoints). Anything else is left to Spark. Timestamps are whole seconds in the
 * API, so a fractional bound is rounded inward and Spark re-checks it.
 */
final class FilterTranslator {
    private FilterTranslator() {}

    /** Whether the predicate was used (wholly or in part); {@code out} gains what it pushes. */
    static boolean translate(Predicate p, EntitySpec spec, Pushdown out) {
        String op = p.name();
        Expression[] c = p.children();
        if (op.equals("AND")) {
            boolean l = translate((Predicate) c[0], spec, out);
            boolean r = translate((Predicate) c[1], spec, out);
            return l || r;
        }
        if (c.length < 2 || !(c[0] instanceof NamedReference ref) || ref.fieldNames().length != 1) {
            return false;
        }
        String column = ref.fieldNames()[0];
        List<Literal<?>> values = new ArrayList<>();
        for (int i = 1; i < c.length; i++) {
            if (!(c[i] instanceof Literal<?> lit) || lit.value() == null) {
                return false;
            }
            values.add(lit);
        }
        if (isTimestamp(values) && (column.equals(cursorColumn(spec)) || column.equals(Columns.CREATED_AT))) {
            Long[] range = range(op, (Long) values.get(0).value());
            if (range == null) {
                return false;
            }
            if (column.equals(cursorColumn(spec))) {
                out.cursor(range[0], range[1]);
            } else {
                out.created(range[0], range[1]);
            }
            out.described.add(column + " " + op + " " + values.get(0).value() + "µs");
            return true;
        }
        if (!(op.equals("=") || op.equals("IN"))) {
            return false;
        }
        List<String> texts = values.stream().map(v -> String.valueOf(v.value())).toList();
        if (column.equals("id") && spec.idFilter()) {
            out.ids(texts);
        } else if (column.equals(Columns.ENTITY_TYPE)
                && spec.endpoints().stream().anyMatch(e -> e.context().containsKey(Columns.ENTITY_TYPE))) {
            Set<String> types = new HashSet<>(texts);
            if (out.entityTypes != null) {
                types.retainAll(out.entityTypes);
            }
            out.entityTypes = types;
        } else if (pushableIn(spec, column)) {
            out.in.merge(column, texts, (a, b) -> a.stream().filter(b::contains).toList());
        } else {
            return false;
        }
        out.described.add(column + " IN " + texts);
        return true;
    }

    /** The "IN" filters the API applies exactly (a catalog fact). */
    private static boolean pushableIn(EntitySpec spec, String column) {
        return EntityFacts.exactInFilter(spec.name(), column);
    }

    private static String cursorColumn(EntitySpec spec) {
        return spec.cursor() == Cursor.NONE ? null : spec.cursor().field;
    }

    private static boolean isTimestamp(List<Literal<?>> values) {
        return values.size() == 1 && values.get(0).dataType().equals(DataTypes.TimestampType);
    }

    /** [from, to] in seconds for {@code column op micros}; null for an operator not handled. */
    static Long[] range(String op, long micros) {
        long floor = Math.floorDiv(micros, 1_000_000L);
        long ceil = -Math.floorDiv(-micros, 1_000_000L);
        return switch (op) {
            case ">=" -> new Long[] {ceil, null};
            case ">" -> new Long[] {floor + 1, null};
            case "<=" -> new Long[] {null, floor};
            case "<" -> new Long[] {null, ceil - 1};
            case "=" -> new Long[] {ceil, floor};
            default -> null;
        };
    }
}
