package io.amocrmetl.source;

import io.amocrmetl.catalog.Cursor;
import io.amocrmetl.catalog.EntitySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns a read works with, from those Spark asked for: the ones the API fills
 * ({@code wanted}), those plus what the reader needs to tell rows apart ({@code internal}: the key,
 * the cursor, the drift column), whether rows end with {@link ReadOptions#PID_COLUMN}, and the
 * {@code with=} values the wanted columns need.
 *
 * @param wanted the required columns without {@link ReadOptions#PID_COLUMN}
 * @param internal {@code wanted}, then any key, cursor or drift column Spark did not ask for
 * @param withPid whether Spark asked for {@link ReadOptions#PID_COLUMN}
 * @param with the {@code with=} values of {@code wanted}
 */
record ReadColumns(StructType wanted, StructType internal, boolean withPid, List<String> with) {

    static ReadColumns of(EntitySpec spec, StructType required) {
        boolean pid = required.getFieldIndex(ReadOptions.PID_COLUMN).isDefined();
        StructType wanted = pid
                ? new StructType(Arrays.stream(required.fields())
                        .filter(f -> !f.name().equals(ReadOptions.PID_COLUMN))
                        .toArray(StructField[]::new))
                : required;
        List<String> with = new ArrayList<>(spec.withFor(List.of(wanted.fieldNames())));
        return new ReadColumns(wanted, internal(spec, wanted), pid, List.copyOf(with));
    }

    /** The wanted columns, then the key, cursor and drift columns the reader needs and Spark did not ask for. */
    private static StructType internal(EntitySpec spec, StructType wanted) {
        List<StructField> fields = new ArrayList<>(List.of(wanted.fields()));
        List<String> need = new ArrayList<>(spec.key());
        if (spec.cursor() != Cursor.NONE) {
            need.add(spec.cursor().field);
        }
        need.add(EntitySpec.DRIFT); // counted for the metrics even when not selected
        StructType full = spec.schema();
        for (String n : need) {
            if (fields.stream().noneMatch(f -> f.name().equals(n))) {
                fields.add(full.apply(n));
            }
        }
        return new StructType(fields.toArray(new StructField[0]));
    }
}
