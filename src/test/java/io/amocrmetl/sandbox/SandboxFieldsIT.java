package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.FieldValue;
import io.amocrmetl.sandbox.model.Lead;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every custom-field type and edge case appears in a default seed and round-trips through the
 * API as JSON of the documented shape (docs/amocrm-api.md §2.2, §2.3). Expected JSON is built here from ground
 * truth, not by the sandbox's writer.
 */
class SandboxFieldsIT {
    /** docs/amocrm-api.md §2.3, from the SDK's CustomFieldModel. */
    static final Set<String> ALL_TYPES = Set.of(
            "text",
            "numeric",
            "checkbox",
            "select",
            "multiselect",
            "multitext",
            "date",
            "url",
            "textarea",
            "radiobutton",
            "streetaddress",
            "smart_address",
            "birthday",
            "legal_entity",
            "date_time",
            "items",
            "category",
            "price",
            "tracking_data",
            "linked_entity",
            "org_legal_name",
            "monetary",
            "chained_list",
            "file",
            "payer",
            "supplier");

    static final Set<String> ENUM_TYPES =
            Set.of("select", "multiselect", "radiobutton", "category", "multitext", "smart_address");
    static final Set<String> OBJECT_TYPES =
            Set.of("legal_entity", "items", "linked_entity", "chained_list", "file", "payer", "supplier");

    static Sandbox sandbox;
    static ApiWalker api;
    static GroundTruth truth;
    static List<JsonNode> leads;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults());
        // These tests walk lists as fast as they can; rate limits have their own tests.
        sandbox.limits().enabled = false;
        api = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
        truth = sandbox.groundTruth();
        leads = api.walk("/api/v4/leads?limit=250&with=contacts", "leads").items();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void everyFieldTypeAppearsInTheDefaultSeed() {
        Set<String> seen = new TreeSet<>();
        leads.forEach(l -> l.path("custom_fields_values")
                .forEach(cf -> seen.add(cf.get("field_type").asText())));
        assertEquals(new TreeSet<>(ALL_TYPES), seen);
        Set<String> defined = new HashSet<>();
        api.walk("/api/v4/leads/custom_fields", "custom_fields")
                .items()
                .forEach(f -> defined.add(f.get("type").asText()));
        assertTrue(defined.containsAll(ALL_TYPES), "every type has a definition");
    }

    /** The item shape of docs/amocrm-api.md §2.3: {field_id, field_name, field_code, field_type, values[{value, enum_id?, enum_code?}]}. */
    @Test
    void everyValueHasTheReferenceShape() {
        int checked = 0;
        for (String path : List.of(
                "/api/v4/leads",
                "/api/v4/contacts",
                "/api/v4/companies",
                "/api/v4/customers",
                "/api/v4/catalogs/5001/elements",
                "/api/v4/catalogs/5003/elements")) {
            String embedded = path.contains("catalogs") ? "elements" : path.substring(path.lastIndexOf('/') + 1);
            for (JsonNode item : api.walk(path + "?limit=250", embedded).items()) {
                JsonNode cfs = item.get("custom_fields_values");
                assertNotNull(cfs, "custom_fields_values is always present, maybe null");
                if (cfs.isNull()) {
                    continue;
                }
                for (JsonNode cf : cfs) {
                    assertEquals(
                            Set.of("field_id", "field_name", "field_code", "field_type", "values"), fieldNames(cf));
                    assertTrue(cf.get("field_id").isIntegralNumber());
                    assertTrue(cf.get("field_name").isTextual());
                    assertTrue(cf.get("field_code").isTextual()
                            || cf.get("field_code").isNull());
                    String type = cf.get("field_type").asText();
                    assertTrue(ALL_TYPES.contains(type), type);
                    assertTrue(cf.get("values").isArray() && cf.get("values").size() > 0);
                    for (JsonNode v : cf.get("values")) {
                        assertTrue(v.has("value"));
                        assertTrue(Set.of("value", "enum_id", "enum_code").containsAll(fieldNames(v)), v.toString());
                        if (v.has("enum_id")) {
                            assertTrue(v.get("enum_id").isIntegralNumber());
                        }
                        if (v.has("enum_code")) {
                            assertTrue(v.get("enum_code").isTextual());
                        }
                        if (ENUM_TYPES.contains(type)) {
                            assertTrue(v.has("enum_id"), type + " values carry enum_id");
                        }
                        if (OBJECT_TYPES.contains(type)) {
                            assertTrue(v.get("value").isObject(), type + " values are objects");
                        } else {
                            assertTrue(v.get("value").isValueNode(), type + " values are scalars");
                        }
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 500, "too few values checked: " + checked);
    }

    @Test
    void customFieldValuesRoundTripExactly() {
        Map<Long, Lead> byId = truth.leads().live().stream().collect(Collectors.toMap(Lead::id, l -> l));
        for (JsonNode item : leads) {
            Lead l = byId.get(item.get("id").asLong());
            assertEquals(expected(l.customFields()), item.get("custom_fields_values"), "lead " + l.id());
        }
        Map<Long, Contact> contacts = truth.contacts().live().stream().collect(Collectors.toMap(Contact::id, c -> c));
        for (JsonNode item : api.walk("/api/v4/contacts?limit=250", "contacts").items()) {
            assertEquals(
                    expected(contacts.get(item.get("id").asLong()).customFields()), item.get("custom_fields_values"));
        }
        Map<Long, Company> companies = truth.companies().live().stream().collect(Collectors.toMap(Company::id, c -> c));
        for (JsonNode item :
                api.walk("/api/v4/companies?limit=250", "companies").items()) {
            assertEquals(
                    expected(companies.get(item.get("id").asLong()).customFields()), item.get("custom_fields_values"));
        }
    }

    @Test
    void leadScalarsMatchGroundTruthFieldByField() {
        Map<Long, Lead> byId = truth.leads().live().stream().collect(Collectors.toMap(Lead::id, l -> l));
        assertEquals(byId.size(), leads.size());
        for (JsonNode j : leads) {
            Lead l = byId.get(j.get("id").asLong());
            assertEquals(l.name(), j.get("name").asText());
            assertEquals(l.price(), j.get("price").asLong());
            if (l.priceWithMinorUnits() == null) {
                assertFalse(j.has("price_with_minor_units"));
            } else {
                assertEquals(
                        0,
                        l.priceWithMinorUnits()
                                .compareTo(new BigDecimal(
                                        j.get("price_with_minor_units").asText())));
            }
            assertEquals(l.statusId(), j.get("status_id").asLong());
            assertEquals(l.pipelineId(), j.get("pipeline_id").asLong());
            assertEquals(l.responsibleUserId(), j.get("responsible_user_id").asLong());
            assertEquals(l.createdAt(), j.get("created_at").asLong());
            assertEquals(l.updatedAt(), j.get("updated_at").asLong());
            assertNullable(l.closedAt(), j.get("closed_at"));
            assertNullable(l.closestTaskAt(), j.get("closest_task_at"));
            assertNullable(l.lossReasonId(), j.get("loss_reason_id"));
            assertNullable(l.laborCost(), j.get("labor_cost"));
            assertNullable(l.score() == null ? null : (long) l.score(), j.get("score"));
            assertFalse(j.get("is_deleted").asBoolean());
            assertEquals(truth.account().id(), j.get("account_id").asLong());
            assertEquals(
                    l.tags().stream()
                            .map(t -> t.id() + "|" + t.name() + "|" + t.color())
                            .toList(),
                    stream(j.at("/_embedded/tags"))
                            .map(t -> t.get("id").asLong() + "|" + t.get("name").asText() + "|"
                                    + (t.get("color").isNull()
                                            ? null
                                            : t.get("color").asText()))
                            .toList());
        }
    }

    @Test
    void edgeCasesAppear() {
        assertTrue(leads.stream().anyMatch(l -> l.get("custom_fields_values").isNull()), "a null custom_fields_values");
        assertTrue(
                leads.stream()
                        .anyMatch(l -> l.at("/_embedded/tags").size() == 0
                                && l.at("/_embedded/companies").size() == 0
                                && l.at("/_embedded/contacts").size() == 0),
                "an empty _embedded");
        assertTrue(
                leads.stream()
                        .anyMatch(l -> l.get("closed_at").isNull()
                                && l.get("score").isNull()
                                && l.get("loss_reason_id").isNull()),
                "null optional fields");
        for (String path : List.of(
                "/api/v4/leads", "/api/v4/contacts", "/api/v4/companies", "/api/v4/tasks", "/api/v4/leads/notes")) {
            String embedded = path.endsWith("notes") ? "notes" : path.substring(path.lastIndexOf('/') + 1);
            assertTrue(
                    api.walk(path + "?limit=250", embedded).ids().stream().anyMatch(id -> id > Integer.MAX_VALUE),
                    "ids above 2^31 in " + path);
        }
        List<String> names = leads.stream().map(l -> l.get("name").asText()).toList();
        assertTrue(names.stream().anyMatch(n -> n.contains("\"") && n.contains("'")), "quotes in names");
        assertTrue(names.stream().anyMatch(n -> n.contains("🚀")), "emoji in names");
        assertTrue(names.stream().anyMatch(n -> n.contains("\n")), "a newline in a name");
        assertTrue(names.stream().anyMatch(n -> n.matches(".*[а-яА-Я].*")), "Cyrillic names");
        assertEquals(
                truth.leads().live().stream().map(Lead::name).sorted().toList(),
                names.stream().sorted().toList(),
                "names survive the round trip byte for byte");
    }

    private static void assertNullable(Long expected, JsonNode actual) {
        if (expected == null) {
            assertTrue(actual.isNull());
        } else {
            assertEquals(expected.longValue(), actual.asLong());
        }
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> out = new HashSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Ground truth's values as JSON (docs/amocrm-api.md §2.3), built by this test. */
    private static JsonNode expected(List<CustomFieldValue> values) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (values == null) {
            return f.nullNode();
        }
        ArrayNode out = f.arrayNode();
        for (CustomFieldValue v : values) {
            ObjectNode cf = out.addObject();
            cf.put("field_id", v.fieldId());
            cf.put("field_name", v.fieldName());
            if (v.fieldCode() == null) {
                cf.putNull("field_code");
            } else {
                cf.put("field_code", v.fieldCode());
            }
            cf.put("field_type", v.fieldType());
            ArrayNode vals = cf.putArray("values");
            for (FieldValue fv : v.values()) {
                ObjectNode o = vals.addObject();
                o.set("value", ApiWalker.MAPPER.valueToTree(fv.value()));
                if (fv.enumId() != null) {
                    o.put("enum_id", fv.enumId());
                }
                if (fv.enumCode() != null) {
                    o.put("enum_code", fv.enumCode());
                }
            }
        }
        // Re-parse so numbers get the node types a parser gives (IntNode, not LongNode).
        try {
            return ApiWalker.MAPPER.readTree(out.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
