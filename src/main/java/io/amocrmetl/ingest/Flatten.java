package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.DerivedColumn;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.LinkLayout;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.source.ReadOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * Lays the reader's rows out the way the lake keeps them (docs/lakehouse.md): an entity
 * row with its scalar fields and derived columns, and child rows for its custom-field values, tags
 * and links. Pure Spark expressions, no UDF, so it runs wherever the rows are.
 */
final class Flatten {
    /** Custom-field types whose values are numbers (docs/amocrm-api.md §2.3). */
    static final String NUMERIC_TYPES = "'numeric', 'price', 'monetary'";
    /** Types whose values are Unix seconds. */
    static final String TIME_TYPES = "'date', 'date_time', 'birthday'";

    private Flatten() {}

    /**
     * The lake row of each entity row: scalar fields, derived columns, live (the list returned
     * it), the content hash, and the run's metadata.
     *
     * @param configuredFields per configured-field role, the field's id (null: not configured or not resolved)
     */
    static Dataset<Row> parents(
            Dataset<Row> read, LakeTable table, Map<String, Long> configuredFields, String runId, long syncedAtMicros) {
        List<Column> out = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            String n = f.name();
            Column c = DerivedColumn.find(table.name(), n)
                    .map(d -> derived(d, configuredFields))
                    .orElseGet(() -> switch (n) {
                        case Columns.IS_DELETED -> lit(false);
                        case Columns.DELETED_AT -> lit(null).cast("timestamp");
                        case Columns.SYNCED_AT -> expr("timestamp_micros(" + syncedAtMicros + "L)");
                        case Columns.RUN_ID -> lit(runId);
                        default -> col(n);
                    });
            out.add(c.cast(f.dataType()).as(n));
        }
        return read.select(out.toArray(new Column[0]));
    }

    private static Column derived(DerivedColumn d, Map<String, Long> configuredFields) {
        String from = "`" + d.source() + "`";
        return switch (d.kind()) {
            case MAIN_ELEMENT_ID ->
                expr("coalesce(try_element_at(filter(" + from + ", c -> c.is_main), 1).id, try_element_at(" + from
                        + ", 1).id)");
            case FIRST_ELEMENT_ID -> expr("try_element_at(" + from + ", 1).id");
            case FIELD_WITH_CODE -> firstValueOf(from, "f.field_code = '" + d.argument() + "'");
            case CONFIGURED_FIELD -> {
                Long id = configuredFields.get(d.argument());
                yield id == null ? lit(null).cast("string") : firstValueOf(from, "f.field_id = " + id);
            }
        };
    }

    /** A content hash of the whole read row: nested links and fields included, so a change that leaves updated_at alone still shows. */
    static Dataset<Row> withHash(Dataset<Row> read) {
        List<String> content = new ArrayList<>();
        for (String c : read.columns()) {
            if (!c.equals(EntitySpec.DRIFT) && !c.equals(ReadOptions.PID_COLUMN)) {
                content.add(c);
            }
        }
        return read.withColumn(
                Columns.HASH,
                expr("sha2(to_json(struct("
                        + String.join(
                                ", ", content.stream().map(c -> "`" + c + "`").toList()) + ")), 256)"));
    }

    /** The first value of the first custom field matching {@code test} (on {@code f}); PHONE and EMAIL: docs/amocrm-api.md §2.3. */
    private static Column firstValueOf(String fields, String test) {
        return expr("try_element_at(try_element_at(filter(" + fields + ", f -> " + test + "), 1).`values`, 1).value");
    }

    /** The rows of one child table from the entity rows (already limited to the parents that win). */
    static Dataset<Row> children(Dataset<Row> read, LakeTable child, String runId, long syncedAtMicros) {
        String parent = child.entity();
        Dataset<Row> rows;
        if (child.name().equals(Tables.customFieldValues(parent))) {
            rows = read.select(
                            col(Columns.ACCOUNT_ID),
                            col("id").as(Columns.ENTITY_ID),
                            expr("explode(custom_fields) AS f"))
                    .select(
                            col(Columns.ACCOUNT_ID),
                            col(Columns.ENTITY_ID),
                            col("f.field_id"),
                            col("f.field_name"),
                            col("f.field_code"),
                            col("f.field_type"),
                            expr("posexplode(f.`values`) AS (value_index, v)"))
                    .select(
                            col(Columns.ACCOUNT_ID),
                            col(Columns.ENTITY_ID),
                            col("field_id"),
                            col("field_name"),
                            col("field_code"),
                            col("field_type"),
                            col("value_index"),
                            col("v.value").as("value"),
                            col("v.enum_id").as("enum_id"),
                            col("v.enum_code").as("enum_code"),
                            expr("CASE WHEN field_type IN (" + NUMERIC_TYPES
                                            + ") THEN try_cast(replace(v.value, ' ', '') " + "AS DECIMAL(38,10)) END")
                                    .as("value_number"),
                            expr("CASE WHEN field_type IN (" + TIME_TYPES + ") THEN coalesce(timestamp_seconds("
                                            + "try_cast(v.value AS BIGINT)), try_to_timestamp(v.value)) END")
                                    .as("value_ts"));
            rows = rows.withColumn(
                    "value_date", expr("CASE WHEN field_type IN ('date', 'birthday') THEN to_date(value_ts) END"));
        } else if (child.name().equals(Tables.tags(parent))) {
            rows = read.select(col(Columns.ACCOUNT_ID), col("id").as(Columns.ENTITY_ID), expr("explode(tags) AS t"))
                    .select(
                            col(Columns.ACCOUNT_ID),
                            col(Columns.ENTITY_ID),
                            col("t.id").as("tag_id"),
                            col("t.name").as("tag_name"),
                            col("t.color").as("tag_color"));
        } else {
            LinkLayout link = LinkLayout.of(child.name())
                    .orElseThrow(() -> new IllegalArgumentException("no layout for child table " + child.name()));
            List<Column> cols = new ArrayList<>(List.of(col(Columns.ACCOUNT_ID), col(child.parentKey())));
            link.fields().forEach((field, column) -> cols.add(col("e." + field).as(column)));
            rows = read.select(
                            col(Columns.ACCOUNT_ID),
                            col(Columns.ID).as(child.parentKey()),
                            explode(col("`" + link.array() + "`")).as("e"))
                    .select(cols.toArray(new Column[0]));
        }
        // One row per key even if the API repeated an element (a tag or link listed twice).
        rows = rows.dropDuplicates(child.key().toArray(new String[0]));
        return rows.withColumn(Columns.SYNCED_AT, expr("timestamp_micros(" + syncedAtMicros + "L)"))
                .withColumn(Columns.RUN_ID, lit(runId))
                .select(
                        child.schema().fieldNames()[0],
                        Arrays.copyOfRange(
                                child.schema().fieldNames(), 1, child.schema().size()));
    }

    /** The reader columns a child table needs from its parent's read. */
    static List<String> columnsFor(LakeTable child) {
        if (child.name().endsWith("_custom_field_values")) {
            return List.of(Tables.CUSTOM_FIELDS);
        }
        if (child.name().endsWith("_tags")) {
            return List.of(Tables.TAGS);
        }
        return LinkLayout.of(child.name()).map(l -> List.of(l.array())).orElse(List.of());
    }
}
