package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.source.ReadOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
     * @param ga the GA client id field's id, or null when not configured or not resolved
     * @param requestId the request-id field's id, or null
     */
    static Dataset<Row> parents(
            Dataset<Row> read, LakeTable table, Long ga, Long requestId, String runId, long syncedAtMicros) {
        List<Column> out = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            String n = f.name();
            Column c = switch (n) {
                case "main_contact_id" ->
                    expr("coalesce(try_element_at(filter(contacts, c -> c.is_main), 1).id, "
                            + "try_element_at(contacts, 1).id)");
                case "company_id" -> expr("try_element_at(companies, 1).id");
                case "ga_client_id" -> firstValue(ga);
                case "request_id" -> firstValue(requestId);
                case "phone" -> firstValueOfCode("PHONE");
                case "email" -> firstValueOfCode("EMAIL");
                case Columns.IS_DELETED -> lit(false);
                case Columns.DELETED_AT -> lit(null).cast("timestamp");
                case Columns.SYNCED_AT -> expr("timestamp_micros(" + syncedAtMicros + "L)");
                case Columns.RUN_ID -> lit(runId);
                default -> col(n);
            };
            out.add(c.cast(f.dataType()).as(n));
        }
        return read.select(out.toArray(new Column[0]));
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

    private static Column firstValue(Long fieldId) {
        if (fieldId == null) {
            return lit(null).cast("string");
        }
        return expr("try_element_at(try_element_at(filter(custom_fields, f -> f.field_id = " + fieldId
                + "), 1).`values`, 1).value");
    }

    /** The first value of the field with this code: contacts' and companies' PHONE and EMAIL (docs/amocrm-api.md §2.3). */
    private static Column firstValueOfCode(String code) {
        return expr("try_element_at(try_element_at(filter(custom_fields, f -> f.field_code = '" + code
                + "'), 1).`values`, 1).value");
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
            rows = switch (child.name()) {
                case Tables.LEAD_CONTACTS ->
                    read.select(col(Columns.ACCOUNT_ID), col("id").as("lead_id"), expr("explode(contacts) AS c"))
                            .select(
                                    col(Columns.ACCOUNT_ID),
                                    col("lead_id"),
                                    col("c.id").as("contact_id"),
                                    col("c.is_main").as("is_main"));
                case Tables.LEAD_CATALOG_ELEMENTS ->
                    read.select(
                                    col(Columns.ACCOUNT_ID),
                                    col("id").as("lead_id"),
                                    expr("explode(catalog_elements) AS e"))
                            .select(
                                    col(Columns.ACCOUNT_ID),
                                    col("lead_id"),
                                    col("e.id").as("element_id"),
                                    col("e.catalog_id").as("catalog_id"),
                                    col("e.quantity").as("quantity"),
                                    col("e.price_id").as("price_id"));
                case Tables.CONTACT_COMPANIES ->
                    read.select(col(Columns.ACCOUNT_ID), col("id").as("contact_id"), expr("explode(companies) AS c"))
                            .select(
                                    col(Columns.ACCOUNT_ID),
                                    col("contact_id"),
                                    col("c.id").as("company_id"));
                case Tables.CUSTOMER_CONTACTS ->
                    read.select(col(Columns.ACCOUNT_ID), col("id").as("customer_id"), expr("explode(contacts) AS c"))
                            .select(
                                    col(Columns.ACCOUNT_ID),
                                    col("customer_id"),
                                    col("c.id").as("contact_id"));
                default -> throw new IllegalArgumentException("no layout for child table " + child.name());
            };
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
        return switch (child.name()) {
            case Tables.LEAD_CONTACTS, Tables.CUSTOMER_CONTACTS -> List.of(Tables.CONTACTS);
            case Tables.LEAD_CATALOG_ELEMENTS -> List.of(Tables.CATALOG_ELEMENTS);
            case Tables.CONTACT_COMPANIES -> List.of(Tables.COMPANIES);
            default -> List.of();
        };
    }
}
