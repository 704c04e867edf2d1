package io.amocrmetl.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * A column an entity table carries beyond the API's scalar fields, taken from a nested array of
 * the same read (docs/lakehouse.md): the lead's main contact and company, the GA client id and
 * request id from configured custom fields, contacts' and companies' first phone and email. What
 * each is, and what the read must include for it, is said here; ingest turns the kind into an
 * expression.
 *
 * @param source the reader column it is taken from (a nested array)
 * @param argument the kind's argument: a field code, or the configured field's role
 */
public record DerivedColumn(String name, DataType type, Kind kind, String source, String argument) {

    /** How the value is taken from {@link #source}. */
    public enum Kind {
        /** The id of the element marked is_main, else of the first element. */
        MAIN_ELEMENT_ID,
        /** The id of the first element. */
        FIRST_ELEMENT_ID,
        /** The first value of the custom field with this code (PHONE, EMAIL: docs/amocrm-api.md §2.3). */
        FIELD_WITH_CODE,
        /** The first value of the custom field configured for this role (its id is resolved per run). */
        CONFIGURED_FIELD
    }

    /** The role of {@code amocrm.custom-fields.ga-client-id}'s field. */
    public static final String GA_CLIENT_ID = "ga-client-id";
    /** The role of {@code amocrm.custom-fields.request-id}'s field. */
    public static final String REQUEST_ID = "request-id";

    private static final Map<String, List<DerivedColumn>> BY_ENTITY = new LinkedHashMap<>();

    // spotless:off: one line per derived column
    static {
        add("leads", new DerivedColumn("main_contact_id", DataTypes.LongType, Kind.MAIN_ELEMENT_ID, "contacts", null));
        add("leads", new DerivedColumn("company_id", DataTypes.LongType, Kind.FIRST_ELEMENT_ID, "companies", null));
        add("leads", new DerivedColumn("ga_client_id", DataTypes.StringType, Kind.CONFIGURED_FIELD, "custom_fields", GA_CLIENT_ID));
        add("leads", new DerivedColumn("request_id", DataTypes.StringType, Kind.CONFIGURED_FIELD, "custom_fields", REQUEST_ID));
        add("contacts", new DerivedColumn("company_id", DataTypes.LongType, Kind.FIRST_ELEMENT_ID, "companies", null));
        add("contacts", new DerivedColumn("phone", DataTypes.StringType, Kind.FIELD_WITH_CODE, "custom_fields", "PHONE"));
        add("contacts", new DerivedColumn("email", DataTypes.StringType, Kind.FIELD_WITH_CODE, "custom_fields", "EMAIL"));
        add("companies", new DerivedColumn("phone", DataTypes.StringType, Kind.FIELD_WITH_CODE, "custom_fields", "PHONE"));
        add("companies", new DerivedColumn("email", DataTypes.StringType, Kind.FIELD_WITH_CODE, "custom_fields", "EMAIL"));
    }
    // spotless:on

    private static void add(String entity, DerivedColumn c) {
        BY_ENTITY.computeIfAbsent(entity, k -> new ArrayList<>()).add(c);
    }

    /** The entity table's derived columns, in their lake order. */
    public static List<DerivedColumn> of(String entity) {
        return BY_ENTITY.getOrDefault(entity, List.of());
    }

    /** The entity table's derived column of this name, if it is one. */
    public static Optional<DerivedColumn> find(String entity, String column) {
        return of(entity).stream().filter(c -> c.name().equals(column)).findFirst();
    }

    /** The reader columns the entity's derived columns are taken from. */
    public static List<String> sources(String entity) {
        return of(entity).stream().map(DerivedColumn::source).distinct().toList();
    }

    /** Whether the entity's rows carry a configured custom field (the run's field-mapping warnings belong to it). */
    public static boolean usesConfiguredFields(String entity) {
        return of(entity).stream().anyMatch(c -> c.kind() == Kind.CONFIGURED_FIELD);
    }
}
