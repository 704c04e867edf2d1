package io.amocrmetl.testing;

import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Event;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lake ingest must leave, built from the sandbox's ground truth by test code of its own (docs/sandbox.md,
 * ground truth): the reader's expected rows ({@link ExpectedRows}) laid out as the lake keeps
 * them, with child and link tables, derived columns and the status history. Columns are compared
 * in {@link Canonical} terms; {@code _hash}, {@code _synced_at} and {@code _run_id} are not
 * expected.
 */
public final class ExpectedLake {
    /** Columns never compared: they change with every run or are internal. */
    public static final Set<String> IGNORED = Set.of("_hash", "_synced_at", "_run_id");

    private static final Set<String> NUMERIC = Set.of("numeric", "price", "monetary");
    private static final Set<String> TIME = Set.of("date", "date_time", "birthday");
    /** The reader's array columns, which the lake keeps in child tables (null ones too). */
    private static final Set<String> NESTED = Set.of(
            "custom_fields", "tags", "contacts", "companies", "leads", "customers", "catalog_elements", "segments");

    private final GroundTruth truth;
    private final ExpectedRows rows;
    private final String gaField;
    private final String requestIdField;
    private boolean hardDeletes;

    /**
     * @param gaField the lead field name mapped to ga_client_id (null: none)
     * @param requestIdField the lead field name mapped to request_id (null: none)
     */
    public ExpectedLake(GroundTruth truth, String gaField, String requestIdField) {
        this.truth = truth;
        this.rows = new ExpectedRows(truth);
        this.gaField = gaField;
        this.requestIdField = requestIdField;
    }

    public GroundTruth truth() {
        return truth;
    }

    /** deletes.mode = hard: deleted entities and their child rows are gone rather than flagged. */
    public ExpectedLake hardDeletes(boolean hard) {
        this.hardDeletes = hard;
        return this;
    }

    /** The entity's expected rows: live ones, then (soft mode) deleted ones carrying {@code _deleted_at}. */
    private List<Map<String, Object>> all(String entity) {
        List<Map<String, Object>> out = new ArrayList<>(rows.of(entity));
        if (!hardDeletes) {
            out.addAll(rows.deleted(entity));
        }
        return out;
    }

    /** Expected rows of a lake table (live entities as the lists show them). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> table(String name) {
        switch (name) {
            case "leads",
                    "contacts",
                    "companies",
                    "tasks",
                    "notes",
                    "events",
                    "unsorted",
                    "customers",
                    "customer_transactions",
                    "catalog_elements" -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Map<String, Object> r : all(name)) {
                    out.add(entity(name, r));
                }
                return out;
            }
            case "account", "users", "pipelines", "statuses", "loss_reasons", "tags", "custom_fields", "catalogs" -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Map<String, Object> r : rows.of(name)) {
                    Map<String, Object> m = new LinkedHashMap<>(r);
                    m.putIfAbsent("account_id", truth.account().id());
                    m.put("is_deleted", false);
                    m.put("deleted_at", null);
                    out.add(m);
                }
                return out;
            }
            case "lead_status_history" -> {
                return statusHistory();
            }
            case "lead_contacts" -> {
                return links(
                        "leads",
                        "contacts",
                        "lead_id",
                        r -> row("contact_id", r.get("id"), "is_main", r.get("is_main")));
            }
            case "lead_catalog_elements" -> {
                return links(
                        "leads",
                        "catalog_elements",
                        "lead_id",
                        r -> row(
                                "element_id",
                                r.get("id"),
                                "catalog_id",
                                r.get("catalog_id"),
                                "quantity",
                                r.get("quantity"),
                                "price_id",
                                r.get("price_id")));
            }
            case "contact_companies" -> {
                return links("contacts", "companies", "contact_id", r -> row("company_id", r.get("id")));
            }
            case "customer_contacts" -> {
                return links("customers", "contacts", "customer_id", r -> row("contact_id", r.get("id")));
            }
            default -> {
                if (name.endsWith("_custom_field_values")) {
                    return customFieldValues(name.substring(0, name.length() - "_custom_field_values".length()));
                }
                if (name.endsWith("_tags")) {
                    return links(
                            name.substring(0, name.length() - "_tags".length()),
                            "tags",
                            "entity_id",
                            r -> row("tag_id", r.get("id"), "tag_name", r.get("name"), "tag_color", r.get("color")));
                }
                throw new IllegalArgumentException("no expectation for " + name);
            }
        }
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** An entity row as the lake keeps it: scalars only, derived columns, live. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> entity(String name, Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : r.entrySet()) {
            if (!(e.getValue() instanceof List<?>) && !NESTED.contains(e.getKey())) {
                m.put(e.getKey(), e.getValue());
            }
        }
        List<Map<String, Object>> fields = (List<Map<String, Object>>) r.get("custom_fields");
        switch (name) {
            case "leads" -> {
                List<Map<String, Object>> contacts = (List<Map<String, Object>>) r.get("contacts");
                Object main = contacts.stream()
                        .filter(c -> Boolean.TRUE.equals(c.get("is_main")))
                        .map(c -> c.get("id"))
                        .findFirst()
                        .orElse(contacts.isEmpty() ? null : contacts.get(0).get("id"));
                m.put("main_contact_id", main);
                m.put("company_id", first((List<Map<String, Object>>) r.get("companies")));
                m.put("ga_client_id", firstValue(fields, "field_name", gaField));
                m.put("request_id", firstValue(fields, "field_name", requestIdField));
            }
            case "contacts" -> {
                m.put("company_id", first((List<Map<String, Object>>) r.get("companies")));
                m.put("phone", firstValue(fields, "field_code", "PHONE"));
                m.put("email", firstValue(fields, "field_code", "EMAIL"));
            }
            case "companies" -> {
                m.put("phone", firstValue(fields, "field_code", "PHONE"));
                m.put("email", firstValue(fields, "field_code", "EMAIL"));
            }
            default -> {
                // nothing derived
            }
        }
        Object deletedAt = r.get("_deleted_at");
        m.remove("_deleted_at");
        m.put("is_deleted", deletedAt != null);
        m.put("deleted_at", deletedAt);
        m.put("_drift", null);
        return m;
    }

    private static Object first(List<Map<String, Object>> refs) {
        return refs == null || refs.isEmpty() ? null : refs.get(0).get("id");
    }

    @SuppressWarnings("unchecked")
    private static Object firstValue(List<Map<String, Object>> fields, String by, String wanted) {
        if (fields == null || wanted == null) {
            return null;
        }
        for (Map<String, Object> f : fields) {
            if (wanted.equals(f.get(by))) {
                List<Map<String, Object>> values = (List<Map<String, Object>>) f.get("values");
                return values.isEmpty() ? null : values.get(0).get("value");
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> links(
            String entity,
            String column,
            String parentKey,
            java.util.function.Function<Map<String, Object>, Map<String, Object>> f) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : all(entity)) {
            List<Map<String, Object>> items = (List<Map<String, Object>>) r.get(column);
            for (Map<String, Object> item : items == null ? List.<Map<String, Object>>of() : items) {
                Map<String, Object> m = row("account_id", truth.account().id(), parentKey, r.get("id"));
                m.putAll(f.apply(item));
                out.add(m);
            }
        }
        return out;
    }

    /** One row per value of each custom field, typed where the type says (docs/amocrm-api.md §2.3). */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> customFieldValues(String entity) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : all(entity)) {
            List<Map<String, Object>> fields = (List<Map<String, Object>>) r.get("custom_fields");
            for (Map<String, Object> f : fields == null ? List.<Map<String, Object>>of() : fields) {
                List<Map<String, Object>> values = (List<Map<String, Object>>) f.get("values");
                String type = (String) f.get("field_type");
                for (int i = 0; i < values.size(); i++) {
                    Map<String, Object> v = values.get(i);
                    String text = (String) v.get("value");
                    Object number = null;
                    Object ts = null;
                    Object date = null;
                    if (text != null && NUMERIC.contains(type)) {
                        number = Canonical.decimal(new BigDecimal(text.replace(" ", "")));
                    }
                    if (text != null && TIME.contains(type)) {
                        long secs = Long.parseLong(text);
                        ts = secs;
                        if (!type.equals("date_time")) {
                            date = LocalDate.ofEpochDay(Math.floorDiv(secs, 86_400L))
                                    .toString();
                        }
                    }
                    out.add(row(
                            "account_id",
                            truth.account().id(),
                            "entity_id",
                            r.get("id"),
                            "field_id",
                            f.get("field_id"),
                            "field_name",
                            f.get("field_name"),
                            "field_code",
                            f.get("field_code"),
                            "field_type",
                            type,
                            "value_index",
                            (long) i,
                            "value",
                            text,
                            "enum_id",
                            v.get("enum_id"),
                            "enum_code",
                            v.get("enum_code"),
                            "value_number",
                            number,
                            "value_ts",
                            ts,
                            "value_date",
                            date));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> statusHistory() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Event e : truth.events()) {
            if (!e.type().equals("lead_status_changed")) {
                continue;
            }
            Map<String, Object> before =
                    (Map<String, Object>) e.valueBefore().get(0).get("lead_status");
            Map<String, Object> after =
                    (Map<String, Object>) e.valueAfter().get(0).get("lead_status");
            out.add(row(
                    "account_id",
                    truth.account().id(),
                    "event_id",
                    e.id(),
                    "lead_id",
                    e.entityId(),
                    "from_pipeline_id",
                    before.get("pipeline_id"),
                    "from_status_id",
                    before.get("id"),
                    "to_pipeline_id",
                    after.get("pipeline_id"),
                    "to_status_id",
                    after.get("id"),
                    "changed_at",
                    e.createdAt(),
                    "changed_by",
                    e.createdBy()));
        }
        return out;
    }
}
