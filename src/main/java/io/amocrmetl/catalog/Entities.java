package io.amocrmetl.catalog;

import static io.amocrmetl.catalog.Kind.BOOL;
import static io.amocrmetl.catalog.Kind.CUSTOM_FIELDS;
import static io.amocrmetl.catalog.Kind.DOUBLE;
import static io.amocrmetl.catalog.Kind.INT;
import static io.amocrmetl.catalog.Kind.JSON;
import static io.amocrmetl.catalog.Kind.LONG;
import static io.amocrmetl.catalog.Kind.MONEY;
import static io.amocrmetl.catalog.Kind.MONEY_MINOR;
import static io.amocrmetl.catalog.Kind.RESULT_TEXT;
import static io.amocrmetl.catalog.Kind.STRING;
import static io.amocrmetl.catalog.Kind.TIMESTAMP;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * Every entity the product reads (docs/spark-reader.md; docs/lakehouse.md), with its
 * explicit Spark schema. Field lists follow docs/amocrm-api.md §2.2–2.4; the comments cite where a field's
 * shape is a quirk.
 */
public final class Entities {
    // spotless:off: the registry is a table of entities, one builder chain a field, easier read unwrapped
    /** Money: {@code price} and its kin, kept as DECIMAL(18,2) (docs/lakehouse.md). */
    public static final DecimalType MONEY_TYPE = DataTypes.createDecimalType(18, 2);

    /** One custom-field value: {@code {value, enum_id?, enum_code?}} (docs/amocrm-api.md §2.3). */
    public static final StructType FIELD_VALUE = new StructType()
            .add("value", DataTypes.StringType).add("enum_id", DataTypes.LongType).add("enum_code", DataTypes.StringType);

    /** {@code custom_fields_values} as the {@code custom_fields} column (docs/amocrm-api.md §2.3). */
    public static final ArrayType CUSTOM_FIELDS_TYPE = DataTypes.createArrayType(new StructType()
            .add("field_id", DataTypes.LongType).add("field_name", DataTypes.StringType)
            .add("field_code", DataTypes.StringType).add("field_type", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(FIELD_VALUE, true)), true);

    /** {@code _drift}: what a row carried that the schema did not expect, kept raw. */
    public static final ArrayType DRIFT_TYPE = DataTypes.createArrayType(new StructType()
            .add("kind", DataTypes.StringType).add("field", DataTypes.StringType).add("raw", DataTypes.StringType), true);

    private static final Shape TAG = Shape.struct(b -> b.col("id", LONG).col("name", STRING).col("color", STRING));
    private static final Shape ID_REF = Shape.struct(b -> b.col("id", LONG).ignore("_links"));
    private static final Shape CONTACT_LINK = Shape.struct(b -> b.col("id", LONG).col("is_main", BOOL).ignore("_links"));
    /** {@code {id, metadata{quantity, catalog_id, price_id}}} (docs/amocrm-api.md §2.2). */
    private static final Shape CATALOG_LINK = Shape.struct(b -> b.col("id", LONG)
            .inline("metadata", m -> m.col("quantity", DOUBLE).col("catalog_id", LONG).col("price_id", LONG))
            .ignore("_links"));
    private static final Shape ENUM = Shape.struct(b -> b.col("id", LONG).col("value", STRING).col("sort", INT));

    private static final Map<String, EntitySpec> SPECS = new LinkedHashMap<>();

    static {
        // Leads (docs/amocrm-api.md §2.2).
        add(spec("leads", "leads", Cursor.UPDATED_AT, true, List.of("id"), b -> b
                .col("id", LONG).col("name", STRING).col("price", MONEY).alias("price_with_minor_units", "price", MONEY_MINOR)
                .col("responsible_user_id", LONG).col("group_id", LONG).col("status_id", LONG).col("pipeline_id", LONG)
                .col("loss_reason_id", LONG).col("source_id", LONG).col("created_by", LONG).col("updated_by", LONG)
                .col("created_at", TIMESTAMP).col("updated_at", TIMESTAMP).col("closed_at", TIMESTAMP)
                .col("closest_task_at", TIMESTAMP).col("is_deleted", BOOL).col("score", INT).col("account_id", LONG)
                .col("labor_cost", LONG).col("is_price_modified_by_robot", BOOL).col("custom_fields_values", "custom_fields", CUSTOM_FIELDS)
                .inline("_embedded", e -> e.array("tags", "tags", TAG).array("companies", "companies", ID_REF)
                        .array("contacts", "contacts", CONTACT_LINK).array("catalog_elements", "catalog_elements", CATALOG_LINK)
                        .ignore("loss_reason", "source"))
                .ignore("_links"),
                Map.of("contacts", "contacts", "catalog_elements", "catalog_elements", "source_id", "source_id",
                        "is_price_modified_by_robot", "is_price_modified_by_robot")));
        // Contacts (docs/amocrm-api.md §2.4): _embedded.companies has exactly one element; leads need with=leads.
        add(spec("contacts", "contacts", Cursor.UPDATED_AT, true, List.of("id"), b -> b
                .col("id", LONG).col("name", STRING).col("first_name", STRING).col("last_name", STRING)
                .col("responsible_user_id", LONG).col("group_id", LONG).col("created_by", LONG).col("updated_by", LONG)
                .col("created_at", TIMESTAMP).col("updated_at", TIMESTAMP).col("closest_task_at", TIMESTAMP)
                .col("is_deleted", BOOL).col("is_unsorted", BOOL).col("account_id", LONG)
                .col("custom_fields_values", "custom_fields", CUSTOM_FIELDS)
                .inline("_embedded", e -> e.array("tags", "tags", TAG).array("companies", "companies", ID_REF)
                        .array("leads", "leads", ID_REF).array("customers", "customers", ID_REF)
                        .array("catalog_elements", "catalog_elements", CATALOG_LINK))
                .ignore("_links"),
                Map.of("leads", "leads", "customers", "customers", "catalog_elements", "catalog_elements")));
        // Companies (docs/amocrm-api.md §2.4, SDK CompanyModel).
        add(spec("companies", "companies", Cursor.UPDATED_AT, true, List.of("id"), b -> b
                .col("id", LONG).col("name", STRING).col("responsible_user_id", LONG).col("group_id", LONG)
                .col("created_by", LONG).col("updated_by", LONG).col("created_at", TIMESTAMP).col("updated_at", TIMESTAMP)
                .col("closest_task_at", TIMESTAMP).col("is_deleted", BOOL).col("account_id", LONG)
                .col("custom_fields_values", "custom_fields", CUSTOM_FIELDS)
                .inline("_embedded", e -> e.array("tags", "tags", TAG).array("contacts", "contacts", ID_REF)
                        .array("leads", "leads", ID_REF).array("customers", "customers", ID_REF)
                        .array("catalog_elements", "catalog_elements", CATALOG_LINK))
                .ignore("_links"),
                Map.of("contacts", "contacts", "leads", "leads", "customers", "customers", "catalog_elements", "catalog_elements")));
        // Tasks (docs/amocrm-api.md §2.4): result is {text} or PHP's [] when empty.
        add(spec("tasks", "tasks", Cursor.UPDATED_AT, false, List.of("id"), b -> b
                .col("id", LONG).col("created_by", LONG).col("updated_by", LONG).col("created_at", TIMESTAMP)
                .col("updated_at", TIMESTAMP).col("responsible_user_id", LONG).col("group_id", LONG)
                .col("entity_id", LONG).col("entity_type", STRING).col("duration", LONG).col("is_completed", BOOL)
                .col("task_type_id", LONG).col("text", STRING).col("result", "result_text", RESULT_TEXT)
                .col("complete_till", TIMESTAMP).col("account_id", LONG).ignore("_links"), Map.of()));
        // Notes of leads, contacts, companies and customers (docs/amocrm-api.md §2.4): one table, keyed with entity_type.
        add(new EntitySpec("notes", "notes", List.of(
                new EntitySpec.Endpoint("/api/v4/leads/notes", Map.of("entity_type", "leads")),
                new EntitySpec.Endpoint("/api/v4/contacts/notes", Map.of("entity_type", "contacts")),
                new EntitySpec.Endpoint("/api/v4/companies/notes", Map.of("entity_type", "companies")),
                new EntitySpec.Endpoint("/api/v4/customers/notes", Map.of("entity_type", "customers"))),
                Cursor.UPDATED_AT, false, List.of("entity_type", "id"), shape(b -> b
                .context("entity_type", DataTypes.StringType, "entity_type")
                .col("id", LONG).col("entity_id", LONG).col("created_by", LONG).col("updated_by", LONG)
                .col("created_at", TIMESTAMP).col("updated_at", TIMESTAMP).col("responsible_user_id", LONG)
                .col("group_id", LONG).col("note_type", STRING).col("params", JSON).col("account_id", LONG)
                .col("is_pinned", BOOL).ignore("_links")), Map.of("is_pinned", "is_pinned"), null, true));
        // Events (docs/amocrm-api.md §2.4, §4.3): the id is a ULID-like string; values stay JSON.
        add(spec("events", "events", Cursor.CREATED_AT, false, List.of("id"), b -> b
                .col("id", STRING).col("type", STRING).col("entity_id", LONG).col("entity_type", STRING)
                .col("created_by", LONG).col("created_at", TIMESTAMP).col("value_after", JSON).col("value_before", JSON)
                .col("account_id", LONG).ignore("_links", "_embedded"), Map.of()));
        // Unsorted (docs/amocrm-api.md §2.4): keyed by uid; cursor created_at.
        add(new EntitySpec("unsorted", "unsorted", List.of(new EntitySpec.Endpoint("/api/v4/leads/unsorted", Map.of())),
                Cursor.CREATED_AT, false, List.of("uid"), shape(b -> b
                .col("uid", STRING).col("source_uid", STRING).col("source_name", STRING).col("category", STRING)
                .col("pipeline_id", LONG).col("created_at", TIMESTAMP).col("metadata", JSON).col("account_id", LONG)
                .inline("_embedded", e -> e.array("leads", "leads", ID_REF).array("contacts", "contacts", ID_REF)
                        .array("companies", "companies", ID_REF))
                .ignore("_links")), Map.of(), null, false));
        // Customers (docs/amocrm-api.md §2.4, SDK CustomerModel); money fields as DECIMAL.
        add(spec("customers", "customers", Cursor.UPDATED_AT, false, List.of("id"), b -> b
                .col("id", LONG).col("name", STRING).col("next_price", MONEY).col("next_date", TIMESTAMP)
                .col("responsible_user_id", LONG).col("status_id", LONG).col("periodicity", INT)
                .col("created_by", LONG).col("updated_by", LONG).col("created_at", TIMESTAMP).col("updated_at", TIMESTAMP)
                .col("closest_task_at", TIMESTAMP).col("is_deleted", BOOL).col("ltv", MONEY).col("purchases_count", INT)
                .col("average_check", MONEY).col("account_id", LONG).col("custom_fields_values", "custom_fields", CUSTOM_FIELDS)
                .inline("_embedded", e -> e.array("tags", "tags", TAG).array("contacts", "contacts", ID_REF)
                        .array("companies", "companies", ID_REF).array("segments", "segments", ID_REF)
                        .array("catalog_elements", "catalog_elements", CATALOG_LINK))
                .ignore("_links"),
                Map.of("contacts", "contacts", "companies", "companies", "segments", "segments", "catalog_elements", "catalog_elements")));
        // Customer transactions (docs/amocrm-api.md §2.4 "Transaction fields").
        add(new EntitySpec("customer_transactions", "transactions",
                List.of(new EntitySpec.Endpoint("/api/v4/customers/transactions", Map.of())),
                Cursor.UPDATED_AT, false, List.of("id"), shape(b -> b
                .col("id", LONG).col("customer_id", LONG).col("price", MONEY).col("comment", STRING)
                .col("completed_at", TIMESTAMP).col("created_at", TIMESTAMP).col("updated_at", TIMESTAMP)
                .col("created_by", LONG).col("updated_by", LONG).col("is_deleted", BOOL).col("next_price", MONEY)
                .col("next_date", TIMESTAMP).col("account_id", LONG).ignore("_links", "_embedded")), Map.of(), null, true));
        // Lists (catalogs, docs/amocrm-api.md §2.4).
        add(new EntitySpec("catalogs", "catalogs", List.of(new EntitySpec.Endpoint("/api/v4/catalogs", Map.of())),
                Cursor.NONE, false, List.of("id"), shape(b -> b
                .col("id", LONG).col("name", STRING).col("type", STRING).col("sort", INT)
                .col("can_add_elements", BOOL).col("can_link_multiple", BOOL).col("can_show_in_cards", BOOL)
                .col("can_be_deleted", BOOL).col("sdk_widget_code", STRING).col("created_by", LONG)
                .col("updated_by", LONG).col("created_at", TIMESTAMP).col("updated_at", TIMESTAMP)
                .col("account_id", LONG).ignore("_links")), Map.of(), null, false));
        // List elements: one endpoint per list, known only once the lists are read.
        add(new EntitySpec("catalog_elements", "elements", List.of(), Cursor.UPDATED_AT, false, List.of("id"),
                shape(b -> b.col("id", LONG).col("catalog_id", LONG).col("name", STRING).col("created_by", LONG)
                .col("updated_by", LONG).col("created_at", TIMESTAMP).col("updated_at", TIMESTAMP)
                .col("is_deleted", BOOL).col("account_id", LONG)
                .col("custom_fields_values", "custom_fields", CUSTOM_FIELDS).ignore("_links")), Map.of(), null, true));
        // Users (docs/amocrm-api.md §2.4): admin only; rights flattened to what the lake keeps.
        add(new EntitySpec("users", "users", List.of(new EntitySpec.Endpoint("/api/v4/users", Map.of())),
                Cursor.NONE, false, List.of("id"), shape(b -> b
                .col("id", LONG).col("name", STRING).col("email", STRING).col("lang", STRING)
                .inline("rights", r -> r.col("is_admin", BOOL).col("is_free", BOOL).col("is_active", BOOL)
                        .col("group_id", LONG).col("role_id", LONG).col("mail_access", BOOL).col("catalog_access", BOOL)
                        .ignore("leads", "contacts", "companies", "tasks", "status_rights", "catalog_rights",
                                "custom_fields_rights", "oper_day_reports_view_access", "oper_day_user_tracking"))
                .context("account_id", DataTypes.LongType, "account_id")
                .ignore("_links", "_embedded", "uuid", "amojo_id", "user_rank", "phone_number")), Map.of(), null, false));
        // Pipelines and their statuses (docs/amocrm-api.md §2.4); statuses are keyed by (pipeline_id, id): 142/143 repeat.
        add(new EntitySpec("pipelines", "pipelines", List.of(new EntitySpec.Endpoint("/api/v4/leads/pipelines", Map.of())),
                Cursor.NONE, false, List.of("id"), shape(b -> b
                .col("id", LONG).col("name", STRING).col("sort", INT).col("is_main", BOOL).col("is_unsorted_on", BOOL)
                .col("is_archive", BOOL).col("account_id", LONG).ignore("_links", "_embedded")), Map.of(), null, false));
        add(new EntitySpec("statuses", "pipelines", List.of(new EntitySpec.Endpoint("/api/v4/leads/pipelines", Map.of())),
                Cursor.NONE, false, List.of("pipeline_id", "id"), shape(b -> b
                .col("pipeline_id", LONG).col("id", LONG).col("name", STRING).col("sort", INT).col("is_editable", BOOL)
                .col("color", STRING).col("type", INT).col("account_id", LONG).ignore("_links", "descriptions")),
                Map.of(), "_embedded.statuses", false));
        add(new EntitySpec("loss_reasons", "loss_reasons", List.of(new EntitySpec.Endpoint("/api/v4/leads/loss_reasons", Map.of())),
                Cursor.NONE, false, List.of("id"), shape(b -> b
                .col("id", LONG).col("name", STRING).col("sort", INT).col("created_at", TIMESTAMP)
                .col("updated_at", TIMESTAMP).context("account_id", DataTypes.LongType, "account_id").ignore("_links")),
                Map.of(), null, false));
        // Tags: ids are separate per entity type (docs/amocrm-api.md §2.4), so the key carries entity_type.
        add(new EntitySpec("tags", "tags", perEntityType("tags"), Cursor.NONE, false, List.of("entity_type", "id"),
                shape(b -> b.context("entity_type", DataTypes.StringType, "entity_type").col("id", LONG).col("name", STRING)
                .col("color", STRING).context("account_id", DataTypes.LongType, "account_id").ignore("_links")),
                Map.of(), null, false));
        // Custom-field definitions (docs/amocrm-api.md §2.3), per entity type and per list (catalog_id set).
        add(new EntitySpec("custom_fields", "custom_fields", perEntityType("custom_fields"), Cursor.NONE, false,
                List.of("entity_type", "id"), shape(b -> b.context("entity_type", DataTypes.StringType, "entity_type")
                .context("catalog_id", DataTypes.LongType, "catalog_id")
                .col("id", LONG).col("name", STRING).col("code", STRING).col("sort", INT).col("type", STRING)
                .col("is_api_only", BOOL).col("is_predefined", BOOL).col("is_deletable", BOOL).col("group_id", STRING)
                .array("enums", "enums", ENUM).col("required_statuses", JSON).col("account_id", LONG)
                .ignore("_links", "entity_type", "remind", "hidden_statuses", "chained_lists", "currency", "settings",
                        "tracking_callback", "search_in", "nested")), Map.of(), null, false));
        // The account (docs/amocrm-api.md §2.4) with its time zone (with=datetime_settings).
        add(new EntitySpec("account", null, List.of(new EntitySpec.Endpoint("/api/v4/account", Map.of())),
                Cursor.NONE, false, List.of("id"), shape(b -> b
                .col("id", LONG).col("name", STRING).col("subdomain", STRING).col("created_at", TIMESTAMP)
                .col("created_by", LONG).col("updated_at", TIMESTAMP).col("updated_by", LONG)
                .col("current_user_id", LONG).col("country", STRING).col("currency", STRING)
                .col("currency_symbol", STRING).col("customers_mode", STRING).col("is_unsorted_on", BOOL)
                .col("is_loss_reason_enabled", BOOL).col("is_helpbot_enabled", BOOL).col("is_technical_account", BOOL)
                .col("contact_name_display_order", INT).col("is_api_filter_enabled", BOOL)
                .inline("_embedded", e -> e.inline("datetime_settings", d -> d.col("timezone", STRING)
                        .ignore("date_pattern", "short_date_pattern", "short_time_pattern", "date_format", "time_format",
                                "timezone_offset")).ignore("amojo_rights", "users_groups", "task_types", "entity_names"))
                .ignore("_links", "amojo_id", "version", "drive_url", "uuid", "invoices_settings", "mobile_feature_version")),
                Map.of(), null, false));
    }
    // spotless:on

    private Entities() {}

    private static List<EntitySpec.Endpoint> perEntityType(String list) {
        return List.of("leads", "contacts", "companies", "customers").stream()
                .map(t -> new EntitySpec.Endpoint("/api/v4/" + t + "/" + list, Map.of("entity_type", t)))
                .toList();
    }

    private static Shape shape(Consumer<Shape.Builder> fields) {
        Shape.Builder b = Shape.builder();
        fields.accept(b);
        return b.build();
    }

    private static EntitySpec spec(
            String name,
            String path,
            Cursor cursor,
            boolean keyset,
            List<String> key,
            Consumer<Shape.Builder> fields,
            Map<String, String> with) {
        return new EntitySpec(
                name,
                name,
                List.of(new EntitySpec.Endpoint("/api/v4/" + path, Map.of())),
                cursor,
                keyset,
                key,
                shape(fields),
                with,
                null,
                true);
    }

    private static void add(EntitySpec spec) {
        SPECS.put(spec.name(), spec);
    }

    /** The elements of one list (docs/amocrm-api.md §2.1): a path per list, known once the lists are read. */
    public static String catalogElementsPath(long catalog) {
        return get(Tables.CATALOGS).path() + "/" + catalog + "/elements";
    }

    /** The field definitions of one list. */
    public static String catalogFieldsPath(long catalog) {
        return get(Tables.CATALOGS).path() + "/" + catalog + "/custom_fields";
    }

    /** The spec of an entity by name; an unknown name is a config error naming the choices. */
    public static EntitySpec get(String name) {
        EntitySpec s = SPECS.get(name);
        if (s == null) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG, "unknown entity '" + name + "'; one of " + String.join(", ", SPECS.keySet()));
        }
        return s;
    }

    /** Every entity, in a stable order. */
    public static List<EntitySpec> all() {
        return List.copyOf(SPECS.values());
    }
}
