package io.amocrmetl.catalog;

/**
 * Lake columns that the jobs name in their own code: the account partition, keys, cursors, the
 * deletion flags and the metadata every written row carries (docs/lakehouse.md). Columns of one
 * entity only are named in {@link Entities}' shapes and in {@link Tables}.
 */
public final class Columns {
    /** The partition column of every table but {@code _lake_meta}, first in every key. */
    public static final String ACCOUNT_ID = "account_id";

    public static final String ID = "id";
    public static final String ENTITY_ID = "entity_id";
    public static final String ENTITY_TYPE = "entity_type";
    public static final String CATALOG_ID = "catalog_id";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    public static final String IS_DELETED = "is_deleted";
    public static final String DELETED_AT = "deleted_at";
    /** When a run wrote the row, and which run. */
    public static final String SYNCED_AT = "_synced_at";

    public static final String RUN_ID = "_run_id";
    /** A hash of the row's content, so an unchanged row is not rewritten. */
    public static final String HASH = "_hash";
    /** Fields the shape did not know, kept raw (never fatal). */
    public static final String DRIFT = "_drift";

    private Columns() {}
}
