package io.amocrmetl.source;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Tables;

/**
 * The options of {@code spark.read().format("amocrm")}, each a documented constant (the one place
 * they are named; {@link ReadConf} parses them, once per read). Any option whose name contains a
 * dot is a configuration key ({@code amocrm.base-url}, ...) layered over the {@link #CONFIG} file.
 *
 * <pre>{@code
 * spark.read().format("amocrm").option("entity", "leads").option("config", "conf/my.conf")
 *      .option("from", "2025-01-01").load()
 * }</pre>
 */
public final class ReadOptions {
    /** Required: the entity to read (leads, contacts, ..., see {@code Entities}). */
    public static final String ENTITY = "entity";
    /** A HOCON config file (see conf/reference.conf); the amocrm.* keys may also be given as options. */
    public static final String CONFIG = "config";
    /**
     * The first cursor second to read (updated_at, or created_at for events and unsorted),
     * inclusive: epoch seconds, an ISO instant ({@code 2025-01-01T00:00:00Z}) or a date (UTC
     * midnight). Filters on the cursor column are pushed down too.
     */
    public static final String FROM = "from";
    /** The last cursor second to read, inclusive. Without it the read is open-ended. */
    public static final String TO = "to";
    /** Comma-separated ids: read exactly these ({@code filter[id][]}). {@code id IN (...)} is pushed down too. */
    public static final String IDS = "ids";
    /** The longest cursor window one request sequence covers (a duration: 6h, 7d); a bounded read splits into such windows. */
    public static final String WINDOW = "window";
    /**
     * How many partitions read at once (default: Spark's parallelism, at most the rate budget's
     * whole shares; more than the budget is capped, since each needs a share of at least 1 rps).
     */
    public static final String PARTITIONS = "partitions";
    /** For notes, tags and custom_fields: comma-separated entity types (leads, contacts, companies, customers). */
    public static final String ENTITY_TYPES = "entity_types";
    /** Hint: the account id; skips the planner's {@code /api/v4/account} request. */
    public static final String ACCOUNT_ID = Columns.ACCOUNT_ID;
    /** Hint: whether the account's API filters are on ({@code is_api_filter_enabled}). */
    public static final String API_FILTERS = "api_filters";
    /** Hint: the account's customers_mode (customers endpoints are skipped when unavailable or disabled). */
    public static final String CUSTOMERS_MODE = "customers_mode";
    /** Hint: comma-separated list (catalog) ids, for catalog_elements and list custom fields. */
    public static final String CATALOGS = Tables.CATALOGS;

    /**
     * Hint: whether the API's {@code filter[...][from]} includes its bound (docs/amocrm-api.md §9; what
     * {@code doctor --probe} found). Unknown bounds are learnt while reading.
     */
    public static final String FROM_INCLUSIVE = "from_inclusive";
    /**
     * Adds a last column {@code _reader_pid}: the process id of the JVM that read the row (the
     * journal records which executors read).
     */
    public static final String READER_PID = "reader_pid";
    /** The column {@link #READER_PID} adds. */
    public static final String PID_COLUMN = "_reader_pid";

    /** Hint: whether {@code filter[...][to]} includes its bound. */
    public static final String TO_INCLUSIVE = "to_inclusive";
    /**
     * Hint: the events page the account serves, 100 or 250 (docs/amocrm-api.md §9.6; what
     * {@code doctor --probe} found). Without it events are read 100 at a time, right under both
     * readings.
     */
    public static final String EVENTS_PAGE_SIZE = "events_page_size";

    private ReadOptions() {}
}
