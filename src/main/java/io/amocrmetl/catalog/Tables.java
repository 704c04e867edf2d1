package io.amocrmetl.catalog;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The table registry (docs/lakehouse.md): every table of the lake with its role, key and
 * schema. Ingest, deletes, reconcile, retention, {@code sql} and the tests read it; no table name
 * is written as a string anywhere else.
 *
 * <p>Entity tables keep the API's scalar fields (flattened) and move arrays to child tables, the
 * normalised layout mybi uses (docs/conventions.md), plus the metadata columns
 * {@code is_deleted, deleted_at, _drift, _hash, _synced_at, _run_id}.
 */
public final class Tables {
    /** Bumped when the layout changes; a binary refuses to write a newer lake ({@code migrate}). */
    public static final int LAYOUT_VERSION = 1;

    // Entity and reference tables: also their Entities names and their tables.<name> config keys.
    public static final String LEADS = "leads";
    public static final String CONTACTS = "contacts";
    public static final String COMPANIES = "companies";
    public static final String TASKS = "tasks";
    public static final String NOTES = "notes";
    public static final String EVENTS = "events";
    public static final String UNSORTED = "unsorted";
    public static final String CUSTOMERS = "customers";
    public static final String CUSTOMER_TRANSACTIONS = "customer_transactions";
    public static final String CATALOGS = "catalogs";
    public static final String CATALOG_ELEMENTS = "catalog_elements";
    public static final String ACCOUNT = "account";
    public static final String USERS = "users";
    public static final String PIPELINES = "pipelines";
    public static final String STATUSES = "statuses";
    public static final String LOSS_REASONS = "loss_reasons";
    public static final String TAGS = "tags";
    public static final String CUSTOM_FIELDS = "custom_fields";

    public static final String LAKE_META = "_lake_meta";
    public static final String SYNC_STATE = "_sync_state";
    public static final String JOURNAL = "_journal";
    public static final String RECONCILIATION = "_reconciliation";
    public static final String DELETIONS = "_deletions";
    public static final String SCHEMA_CHANGES = "_schema_changes";
    public static final String LEAD_STATUS_HISTORY = "lead_status_history";
    public static final String LEAD_CONTACTS = "lead_contacts";
    public static final String LEAD_CATALOG_ELEMENTS = "lead_catalog_elements";
    public static final String CONTACT_COMPANIES = "contact_companies";
    public static final String CUSTOMER_CONTACTS = "customer_contacts";

    /** Entities whose rows carry custom fields, and whose rows carry tags. */
    public static final List<String> WITH_CUSTOM_FIELDS =
            List.of("leads", "contacts", "companies", "customers", "catalog_elements");

    public static final List<String> WITH_TAGS = List.of("leads", "contacts", "companies", "customers");

    static final DataType TS = DataTypes.TimestampType;
    static final DataType LONG = DataTypes.LongType;
    static final DataType STR = DataTypes.StringType;
    /** Custom-field numbers: wide enough for any amount the UI accepts, exact (not DOUBLE). */
    public static final DataType NUMBER = DataTypes.createDecimalType(38, 10);

    private static final Map<String, LakeTable> TABLES = new LinkedHashMap<>();

    // spotless:off: the registry is a table of tables, a schema a chain, easier read unwrapped
    static {
        for (String e : List.of("leads", "contacts", "companies", "tasks", "notes", "events", "unsorted", "customers",
                "customer_transactions", "catalog_elements")) {
            add(entityTable(Entities.get(e)));
        }
        for (String e : WITH_CUSTOM_FIELDS) {
            add(new LakeTable(customFieldValues(e), LakeTable.Role.CHILD, List.of("account_id", "entity_id", "field_id",
                    "value_index"), meta(new StructType().add("account_id", LONG).add("entity_id", LONG)
                    .add("field_id", LONG).add("field_name", STR).add("field_code", STR).add("field_type", STR)
                    .add("value_index", DataTypes.IntegerType).add("value", STR).add("enum_id", LONG).add("enum_code", STR)
                    .add("value_number", NUMBER).add("value_ts", TS).add("value_date", DataTypes.DateType)), e, "entity_id"));
        }
        for (String e : WITH_TAGS) {
            add(new LakeTable(tags(e), LakeTable.Role.CHILD, List.of("account_id", "entity_id", "tag_id"),
                    meta(new StructType().add("account_id", LONG).add("entity_id", LONG).add("tag_id", LONG)
                            .add("tag_name", STR).add("tag_color", STR)), e, "entity_id"));
        }
        add(new LakeTable(LEAD_CONTACTS, LakeTable.Role.CHILD, List.of("account_id", "lead_id", "contact_id"),
                meta(new StructType().add("account_id", LONG).add("lead_id", LONG).add("contact_id", LONG)
                        .add("is_main", DataTypes.BooleanType)), "leads", "lead_id"));
        add(new LakeTable(LEAD_CATALOG_ELEMENTS, LakeTable.Role.CHILD, List.of("account_id", "lead_id", "element_id"),
                meta(new StructType().add("account_id", LONG).add("lead_id", LONG).add("element_id", LONG)
                        .add("catalog_id", LONG).add("quantity", DataTypes.DoubleType).add("price_id", LONG)), "leads", "lead_id"));
        add(new LakeTable(CONTACT_COMPANIES, LakeTable.Role.CHILD, List.of("account_id", "contact_id", "company_id"),
                meta(new StructType().add("account_id", LONG).add("contact_id", LONG).add("company_id", LONG)),
                "contacts", "contact_id"));
        add(new LakeTable(CUSTOMER_CONTACTS, LakeTable.Role.CHILD, List.of("account_id", "customer_id", "contact_id"),
                meta(new StructType().add("account_id", LONG).add("customer_id", LONG).add("contact_id", LONG)),
                "customers", "customer_id"));
        for (String e : List.of("account", "users", "pipelines", "statuses", "loss_reasons", "tags", "custom_fields", "catalogs")) {
            EntitySpec spec = Entities.get(e);
            List<String> key = new ArrayList<>(List.of("account_id"));
            spec.key().stream().filter(k -> !k.equals("account_id")).forEach(key::add);
            StructType s = spec.schema();
            if (!has(s, "account_id")) {
                // The account's own row: its id is the account (every row carries account_id: docs/lakehouse.md).
                StructType withAccount = new StructType().add("account_id", LONG);
                for (StructField f : s.fields()) {
                    withAccount = withAccount.add(f);
                }
                s = withAccount;
            }
            if (!has(s, "is_deleted")) {
                s = s.add("is_deleted", DataTypes.BooleanType);
            }
            add(new LakeTable(e, LakeTable.Role.REFERENCE, key, meta(s.add("deleted_at", TS)), e, null));
        }
        add(new LakeTable(LEAD_STATUS_HISTORY, LakeTable.Role.ANALYTIC, List.of("account_id", "event_id"),
                meta(new StructType().add("account_id", LONG).add("event_id", STR).add("lead_id", LONG)
                        .add("from_pipeline_id", LONG).add("from_status_id", LONG).add("to_pipeline_id", LONG)
                        .add("to_status_id", LONG).add("changed_at", TS).add("changed_by", LONG)), "events", null));
        add(new LakeTable(LAKE_META, LakeTable.Role.SYSTEM, List.of("name"), new StructType().add("name", STR)
                .add("value", STR).add("updated_at", TS), null, null));
        add(new LakeTable(SYNC_STATE, LakeTable.Role.SYSTEM, List.of("account_id", "table_name"), new StructType()
                .add("account_id", LONG).add("table_name", STR).add("watermark", TS).add("coverage_start", TS)
                .add("retention_cutoff", TS).add("reconcile_cursor", STR).add("probes", STR).add("updated_at", TS)
                .add("run_id", STR), null, null));
        add(new LakeTable(JOURNAL, LakeTable.Role.SYSTEM, List.of("account_id", "run_id", "job", "table_name"), new StructType()
                .add("account_id", LONG).add("run_id", STR).add("job", STR).add("source_name", STR).add("table_name", STR)
                .add("window_from", TS).add("window_to", TS).add("status", STR).add("rows_read", LONG)
                .add("rows_upserted", LONG).add("rows_deleted", LONG).add("requests", LONG).add("retries", LONG)
                .add("too_many_requests", LONG).add("limiter_wait_ms", LONG).add("seconds", DataTypes.DoubleType)
                .add("watermark_lag_seconds", LONG).add("schema_changes", LONG).add("error", STR)
                .add("started_at", TS).add("finished_at", TS).add("executor_pids", STR).add("details", STR), null, null));
        add(new LakeTable(DELETIONS, LakeTable.Role.SYSTEM, List.of("account_id", "entity", "entity_key", "source"),
                new StructType().add("account_id", LONG).add("entity", STR).add("entity_key", STR).add("deleted_at", TS)
                        .add("source", STR).add("detail", STR).add("detected_at", TS).add("run_id", STR), null, null));
        add(new LakeTable(RECONCILIATION, LakeTable.Role.SYSTEM, List.of("account_id", "run_id", "kind", "table_name", "slice"),
                new StructType().add("account_id", LONG).add("run_id", STR).add("checked_at", TS).add("kind", STR)
                        .add("table_name", STR).add("slice", STR).add("period", STR).add("pipeline_id", LONG)
                        .add("status_id", LONG).add("tag_id", LONG).add("entity_key", STR).add("lake_count", LONG)
                        .add("api_count", LONG).add("lake_sum", Entities.MONEY_TYPE).add("api_sum", Entities.MONEY_TYPE)
                        .add("lake_value", STR).add("api_value", STR).add("status", STR), null, null));
        add(new LakeTable(SCHEMA_CHANGES, LakeTable.Role.SYSTEM, List.of("account_id", "run_id", "table_name", "kind", "field"),
                new StructType().add("account_id", LONG).add("run_id", STR).add("detected_at", TS).add("table_name", STR)
                        .add("kind", STR).add("field", STR).add("example", STR).add("count", LONG), null, null));
    }
    // spotless:on

    private Tables() {}

    /** The child table of an entity's custom-field values, e.g. leads_custom_field_values. */
    public static String customFieldValues(String entity) {
        return entity + "_custom_field_values";
    }

    /** The child table of an entity's tags, e.g. leads_tags. */
    public static String tags(String entity) {
        return entity + "_tags";
    }

    private static boolean has(StructType s, String name) {
        return s.getFieldIndex(name).isDefined();
    }

    /** The metadata every written row carries: when and by which run. */
    private static StructType meta(StructType s) {
        return s.add("_synced_at", TS).add("_run_id", STR);
    }

    /** Scalar API fields, derived columns, then is_deleted, deleted_at, _drift, _hash and the run metadata. */
    private static LakeTable entityTable(EntitySpec spec) {
        StructType s = new StructType();
        for (StructField f : spec.schema().fields()) {
            boolean nested = f.dataType() instanceof ArrayType || f.dataType() instanceof StructType;
            if (!nested && !f.name().equals(EntitySpec.DRIFT) && !f.name().equals("is_deleted")) {
                s = s.add(f);
            }
        }
        for (DerivedColumn d : DerivedColumn.of(spec.name())) {
            s = s.add(d.name(), d.type());
        }
        s = s.add("is_deleted", DataTypes.BooleanType)
                .add("deleted_at", TS)
                .add(EntitySpec.DRIFT, Entities.DRIFT_TYPE)
                .add("_hash", STR);
        List<String> key = new ArrayList<>(List.of("account_id"));
        key.addAll(spec.key());
        return new LakeTable(spec.name(), LakeTable.Role.ENTITY, key, meta(s), spec.name(), null);
    }

    private static void add(LakeTable t) {
        TABLES.put(t.name(), t);
    }

    public static LakeTable get(String name) {
        LakeTable t = TABLES.get(name);
        if (t == null) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG, "unknown table '" + name + "'; one of " + String.join(", ", TABLES.keySet()));
        }
        return t;
    }

    public static List<LakeTable> all() {
        return List.copyOf(TABLES.values());
    }

    /** The child tables written from rows of {@code entity}. */
    public static List<LakeTable> childrenOf(String entity) {
        return TABLES.values().stream()
                .filter(t -> t.role() == LakeTable.Role.CHILD && entity.equals(t.entity()))
                .toList();
    }
}
