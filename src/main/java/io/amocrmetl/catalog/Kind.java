package io.amocrmetl.catalog;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * How a JSON value is read into a Spark value. amoCRM's JSON is loosely typed in places (numbers
 * as strings in webhook-era fields, PHP's {@code []} for an empty object), so each kind accepts the
 * harmless variants and treats anything else as an odd value: the column is null and the raw JSON
 * is kept in {@code _drift} (schema drift never fails a run: docs/lakehouse.md).
 */
enum Kind {
    /** BIGINT: a JSON integer, or a string holding one. */
    LONG(DataTypes.LongType),
    /** INT, range-checked. */
    INT(DataTypes.IntegerType),
    /** DOUBLE: any JSON number, or a numeric string. */
    DOUBLE(DataTypes.DoubleType),
    /** STRING: a JSON string; numbers and booleans as their text. */
    STRING(DataTypes.StringType),
    /** BOOLEAN: true/false, 0/1, or those as strings. */
    BOOL(DataTypes.BooleanType),
    /** TIMESTAMP from Unix seconds (docs/amocrm-api.md §2.2: "Unix seconds, nullable"). */
    TIMESTAMP(DataTypes.TimestampType),
    /** DECIMAL(18,2) money. */
    MONEY(Entities.MONEY_TYPE),
    /** Lead price: {@code price_with_minor_units} wins over the integer {@code price} (docs/amocrm-api.md §2.2). */
    MONEY_MINOR(Entities.MONEY_TYPE),
    /** Any JSON value kept as its JSON text ({@code params}, {@code value_after}, ...). */
    JSON(DataTypes.StringType),
    /** {@code custom_fields_values} (docs/amocrm-api.md §2.3) as the typed array of {@link Entities#CUSTOM_FIELDS_TYPE}. */
    CUSTOM_FIELDS(Entities.CUSTOM_FIELDS_TYPE),
    /** A task's {@code result}: {@code {"text": ...}}, or PHP's empty array when there is none. */
    RESULT_TEXT(DataTypes.StringType),
    /** An array of objects (typed by its element shape). */
    ARRAY(null),
    /** An object read as a struct. */
    STRUCT(null),
    /** An object whose fields are columns of the enclosing row. */
    INLINE(null);

    private final DataType type;

    Kind(DataType type) {
        this.type = type;
    }

    DataType sparkType() {
        return type;
    }
}
