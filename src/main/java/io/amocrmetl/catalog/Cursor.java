package io.amocrmetl.catalog;

/**
 * The column an entity's incremental reads follow (docs/lakehouse.md):
 * {@code updated_at} where the entity has it, {@code created_at} for events and unsorted, and
 * none for reference data, which is read whole each run.
 */
public enum Cursor {
    UPDATED_AT("updated_at"),
    CREATED_AT("created_at"),
    NONE(null);

    /** The JSON field, the column and the API filter name ({@code filter[<field>][from]}). */
    public final String field;

    Cursor(String field) {
        this.field = field;
    }
}
