package io.amocrmetl.sandbox.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.model.AccountInfo;
import io.amocrmetl.sandbox.model.Catalog;
import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.CatalogLink;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Unsorted;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.ContactLink;
import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.FieldValue;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.LossReason;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.TagRef;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.User;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Writes each entity the way API v4 does (reference §2): snake_case fields, Unix-second
 * timestamps, {@code _links.self}, and an {@code _embedded} whose content {@code with=} decides
 * (§3.4).
 */
final class EntityJson {
    private final AccountData data;
    private final String base;
    private final SchemaDrift drift;

    EntityJson(AccountData data, String baseUrl, SchemaDrift drift) {
        this.data = data;
        this.base = baseUrl;
        this.drift = drift;
    }

    /** Drift injected for tests: extra (or repeated) fields at the end of an item. */
    private void extras(JsonGenerator g, String entity) throws IOException {
        for (java.util.Map.Entry<String, String> e : drift.extraFields(entity).entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeRawValue(e.getValue());
        }
    }

    private void self(JsonGenerator g, String path) throws IOException {
        g.writeObjectFieldStart("_links");
        g.writeObjectFieldStart("self");
        g.writeStringField("href", base + path);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** created_by, updated_by, created_at, updated_at: in every entity, in this order. */
    private static void audit(JsonGenerator g, long createdBy, long updatedBy, long createdAt, long updatedAt)
            throws IOException {
        g.writeNumberField("created_by", createdBy);
        g.writeNumberField("updated_by", updatedBy);
        g.writeNumberField("created_at", createdAt);
        g.writeNumberField("updated_at", updatedAt);
    }

    private void idRef(JsonGenerator g, long id, String path) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", id);
        self(g, path + id);
        g.writeEndObject();
    }

    void lead(JsonGenerator g, Lead l, Set<String> with) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", l.id());
        g.writeStringField("name", l.name());
        g.writeNumberField("price", l.price());
        if (l.priceWithMinorUnits() != null) {
            g.writeNumberField("price_with_minor_units", l.priceWithMinorUnits());
        }
        g.writeNumberField("responsible_user_id", l.responsibleUserId());
        g.writeNumberField("group_id", l.groupId());
        g.writeNumberField("status_id", l.statusId());
        g.writeNumberField("pipeline_id", l.pipelineId());
        Json.nullableLong(g, "loss_reason_id", l.lossReasonId());
        if (with.contains("source_id")) {
            Json.nullableLong(g, "source_id", l.sourceId());
        }
        audit(g, l.createdBy(), l.updatedBy(), l.createdAt(), l.updatedAt());
        Json.nullableLong(g, "closed_at", l.closedAt());
        Json.nullableLong(g, "closest_task_at", l.closestTaskAt());
        g.writeBooleanField("is_deleted", l.isDeleted());
        customFields(g, l.customFields());
        if (l.score() == null) {
            g.writeNullField("score");
        } else {
            g.writeNumberField("score", l.score());
        }
        g.writeNumberField("account_id", data.account().id());
        Json.nullableLong(g, "labor_cost", l.laborCost());
        if (with.contains("is_price_modified_by_robot")) {
            g.writeBooleanField("is_price_modified_by_robot", false);
        }
        extras(g, "leads");
        self(g, "/api/v4/leads/" + l.id());
        g.writeObjectFieldStart("_embedded");
        tags(g, l.tags());
        g.writeArrayFieldStart("companies");
        if (l.companyId() != null) {
            idRef(g, l.companyId(), "/api/v4/companies/");
        }
        g.writeEndArray();
        if (with.contains("contacts")) {
            g.writeArrayFieldStart("contacts");
            for (ContactLink c : l.contacts()) {
                g.writeStartObject();
                g.writeNumberField("id", c.contactId());
                g.writeBooleanField("is_main", c.isMain());
                self(g, "/api/v4/contacts/" + c.contactId());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (with.contains("loss_reason")) {
            // The SDK reads _embedded.loss_reason as an array and takes [0] (reference §2.2).
            g.writeArrayFieldStart("loss_reason");
            if (l.lossReasonId() != null) {
                for (LossReason r : data.lossReasons()) {
                    if (r.id() == l.lossReasonId()) {
                        lossReason(g, r);
                    }
                }
            }
            g.writeEndArray();
        }
        if (with.contains("catalog_elements")) {
            g.writeArrayFieldStart("catalog_elements");
            for (CatalogLink c : data.leadCatalogElements(l.id())) {
                g.writeStartObject();
                g.writeNumberField("id", c.elementId());
                g.writeObjectFieldStart("metadata");
                g.writeNumberField("quantity", c.quantity());
                g.writeNumberField("catalog_id", c.catalogId());
                g.writeNullField("price_id");
                g.writeEndObject();
                self(g, "/api/v4/catalogs/" + c.catalogId() + "/elements/" + c.elementId());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (with.contains("source") && l.sourceId() != null) {
            g.writeObjectFieldStart("source");
            g.writeNumberField("id", l.sourceId());
            g.writeStringField("name", "Источник " + l.sourceId());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    void contact(JsonGenerator g, Contact c, Set<String> with) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", c.id());
        g.writeStringField("name", c.name());
        g.writeStringField("first_name", c.firstName());
        g.writeStringField("last_name", c.lastName());
        g.writeNumberField("responsible_user_id", c.responsibleUserId());
        g.writeNumberField("group_id", c.groupId());
        audit(g, c.createdBy(), c.updatedBy(), c.createdAt(), c.updatedAt());
        Json.nullableLong(g, "closest_task_at", c.closestTaskAt());
        g.writeBooleanField("is_deleted", false);
        g.writeBooleanField("is_unsorted", false);
        customFields(g, c.customFields());
        g.writeNumberField("account_id", data.account().id());
        extras(g, "contacts");
        self(g, "/api/v4/contacts/" + c.id());
        g.writeObjectFieldStart("_embedded");
        tags(g, c.tags());
        g.writeArrayFieldStart("companies");
        if (c.companyId() != null) {
            idRef(g, c.companyId(), "/api/v4/companies/");
        }
        g.writeEndArray();
        if (with.contains("leads")) {
            g.writeArrayFieldStart("leads");
            for (long id : data.contactLeads(c.id())) {
                idRef(g, id, "/api/v4/leads/");
            }
            g.writeEndArray();
        }
        if (with.contains("customers")) {
            // The live customers whose contacts include this one (reference §3.4).
            g.writeArrayFieldStart("customers");
            for (long id : data.contactCustomers(c.id())) {
                idRef(g, id, "/api/v4/customers/");
            }
            g.writeEndArray();
        }
        // Contacts have no list elements in the sandbox's data: with=catalog_elements gives [].
        emptyArraysFor(g, with, "catalog_elements");
        g.writeEndObject();
        g.writeEndObject();
    }

    void company(JsonGenerator g, Company c, Set<String> with) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", c.id());
        g.writeStringField("name", c.name());
        g.writeNumberField("responsible_user_id", c.responsibleUserId());
        g.writeNumberField("group_id", c.groupId());
        audit(g, c.createdBy(), c.updatedBy(), c.createdAt(), c.updatedAt());
        Json.nullableLong(g, "closest_task_at", c.closestTaskAt());
        customFields(g, c.customFields());
        g.writeBooleanField("is_deleted", false);
        g.writeNumberField("account_id", data.account().id());
        extras(g, "companies");
        self(g, "/api/v4/companies/" + c.id());
        g.writeObjectFieldStart("_embedded");
        tags(g, c.tags());
        if (with.contains("contacts")) {
            g.writeArrayFieldStart("contacts");
            for (long id : data.companyContacts(c.id())) {
                idRef(g, id, "/api/v4/contacts/");
            }
            g.writeEndArray();
        }
        if (with.contains("leads")) {
            g.writeArrayFieldStart("leads");
            for (long id : data.companyLeads(c.id())) {
                idRef(g, id, "/api/v4/leads/");
            }
            g.writeEndArray();
        }
        // Customers in the sandbox link contacts only (Customer.contactIds), and companies have no
        // list elements, so with=customers and with=catalog_elements give [] here (reference §3.4).
        emptyArraysFor(g, with, "customers", "catalog_elements");
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void emptyArraysFor(JsonGenerator g, Set<String> with, String... names) throws IOException {
        for (String n : names) {
            if (with.contains(n)) {
                g.writeArrayFieldStart(n);
                g.writeEndArray();
            }
        }
    }

    void task(JsonGenerator g, Task t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", t.id());
        audit(g, t.createdBy(), t.updatedBy(), t.createdAt(), t.updatedAt());
        g.writeNumberField("responsible_user_id", t.responsibleUserId());
        g.writeNumberField("group_id", t.groupId());
        Json.nullableLong(g, "entity_id", t.entityId());
        g.writeStringField("entity_type", t.entityType());
        g.writeNumberField("duration", t.duration());
        g.writeBooleanField("is_completed", t.isCompleted());
        g.writeNumberField("task_type_id", t.taskTypeId());
        g.writeStringField("text", t.text());
        // An empty result is a PHP empty array, [], not an object [UNVERIFIED]: readers must
        // accept both shapes.
        if (t.resultText() == null) {
            g.writeArrayFieldStart("result");
            g.writeEndArray();
        } else {
            g.writeObjectFieldStart("result");
            g.writeStringField("text", t.resultText());
            g.writeEndObject();
        }
        g.writeNumberField("complete_till", t.completeTill());
        g.writeNumberField("account_id", data.account().id());
        extras(g, "tasks");
        self(g, "/api/v4/tasks/" + t.id());
        g.writeEndObject();
    }

    void note(JsonGenerator g, Note n, Set<String> with) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", n.id());
        g.writeNumberField("entity_id", n.entityId());
        audit(g, n.createdBy(), n.updatedBy(), n.createdAt(), n.updatedAt());
        g.writeNumberField("responsible_user_id", n.responsibleUserId());
        g.writeNumberField("group_id", n.groupId());
        g.writeStringField("note_type", n.noteType());
        g.writeFieldName("params");
        Json.value(g, n.params());
        g.writeNumberField("account_id", data.account().id());
        if (with.contains("is_pinned")) {
            g.writeBooleanField("is_pinned", n.isPinned());
        }
        extras(g, "notes");
        self(g, "/api/v4/" + n.entityType() + "/" + n.entityId() + "/notes/" + n.id());
        g.writeEndObject();
    }

    void event(JsonGenerator g, Event e, Set<String> with, String entityName) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", e.id());
        g.writeStringField("type", e.type());
        g.writeNumberField("entity_id", e.entityId());
        g.writeStringField("entity_type", e.entityType());
        g.writeNumberField("created_by", e.createdBy());
        g.writeNumberField("created_at", e.createdAt());
        g.writeFieldName("value_after");
        Json.value(g, e.valueAfter());
        g.writeFieldName("value_before");
        Json.value(g, e.valueBefore());
        g.writeNumberField("account_id", data.account().id());
        extras(g, "events");
        self(g, "/api/v4/events/" + e.id());
        if (entityName != null) {
            // with=lead_name etc. adds the entity's name [UNVERIFIED shape].
            g.writeObjectFieldStart("_embedded");
            g.writeObjectFieldStart("entity");
            g.writeNumberField("id", e.entityId());
            g.writeStringField("name", entityName);
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    void unsorted(JsonGenerator g, Unsorted u) throws IOException {
        g.writeStartObject();
        g.writeStringField("uid", u.uid());
        g.writeStringField("source_uid", u.sourceUid());
        g.writeStringField("source_name", u.sourceName());
        g.writeStringField("category", u.category());
        g.writeNumberField("pipeline_id", u.pipelineId());
        g.writeNumberField("created_at", u.createdAt());
        g.writeFieldName("metadata");
        Json.value(g, u.metadata());
        g.writeNumberField("account_id", data.account().id());
        self(g, "/api/v4/leads/unsorted/" + u.uid());
        g.writeObjectFieldStart("_embedded");
        idRefs(g, "leads", u.leadId(), "/api/v4/leads/");
        idRefs(g, "contacts", u.contactId(), "/api/v4/contacts/");
        idRefs(g, "companies", u.companyId(), "/api/v4/companies/");
        g.writeEndObject();
        g.writeEndObject();
    }

    private void idRefs(JsonGenerator g, String name, Long id, String path) throws IOException {
        g.writeArrayFieldStart(name);
        if (id != null) {
            idRef(g, id, path);
        }
        g.writeEndArray();
    }

    void customer(JsonGenerator g, Customer c, Set<String> with) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", c.id());
        g.writeStringField("name", c.name());
        g.writeNumberField("next_price", c.nextPrice());
        Json.nullableLong(g, "next_date", c.nextDate());
        g.writeNumberField("responsible_user_id", c.responsibleUserId());
        g.writeNumberField("status_id", c.statusId());
        Json.nullableLong(g, "periodicity", c.periodicity() == null ? null : (long) c.periodicity());
        audit(g, c.createdBy(), c.updatedBy(), c.createdAt(), c.updatedAt());
        Json.nullableLong(g, "closest_task_at", c.closestTaskAt());
        g.writeBooleanField("is_deleted", false);
        customFields(g, c.customFields());
        g.writeNumberField("ltv", c.ltv());
        g.writeNumberField("purchases_count", c.purchasesCount());
        g.writeNumberField("average_check", c.averageCheck());
        g.writeNumberField("account_id", data.account().id());
        self(g, "/api/v4/customers/" + c.id());
        g.writeObjectFieldStart("_embedded");
        tags(g, c.tags());
        if (with.contains("contacts")) {
            g.writeArrayFieldStart("contacts");
            for (long id : c.contactIds()) {
                idRef(g, id, "/api/v4/contacts/");
            }
            g.writeEndArray();
        }
        emptyArraysFor(g, with, "segments", "companies", "catalog_elements");
        g.writeEndObject();
        g.writeEndObject();
    }

    void transaction(JsonGenerator g, CustomerTransaction t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", t.id());
        g.writeStringField("comment", t.comment());
        g.writeNumberField("price", t.price());
        Json.nullableLong(g, "completed_at", t.completedAt());
        g.writeNumberField("customer_id", t.customerId());
        audit(g, t.createdBy(), t.updatedBy(), t.createdAt(), t.updatedAt());
        g.writeBooleanField("is_deleted", false);
        Json.nullableLong(g, "next_price", t.nextPrice());
        Json.nullableLong(g, "next_date", t.nextDate());
        g.writeNumberField("account_id", data.account().id());
        self(g, "/api/v4/customers/" + t.customerId() + "/transactions/" + t.id());
        g.writeObjectFieldStart("_embedded");
        g.writeObjectFieldStart("customer");
        g.writeNumberField("id", t.customerId());
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    void catalog(JsonGenerator g, Catalog c) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", c.id());
        g.writeStringField("name", c.name());
        audit(g, c.createdBy(), c.updatedBy(), c.createdAt(), c.updatedAt());
        g.writeNumberField("sort", c.sort());
        g.writeStringField("type", c.type());
        g.writeBooleanField("can_add_elements", c.canAddElements());
        g.writeBooleanField("can_show_in_cards", c.canShowInCards());
        g.writeBooleanField("can_link_multiple", c.canLinkMultiple());
        g.writeBooleanField("can_be_deleted", c.canBeDeleted());
        g.writeNullField("sdk_widget_code");
        g.writeNumberField("account_id", data.account().id());
        self(g, "/api/v4/catalogs/" + c.id());
        g.writeEndObject();
    }

    void element(JsonGenerator g, CatalogElement e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", e.id());
        g.writeStringField("name", e.name());
        audit(g, e.createdBy(), e.updatedBy(), e.createdAt(), e.updatedAt());
        g.writeBooleanField("is_deleted", false);
        customFields(g, e.customFields());
        g.writeNumberField("catalog_id", e.catalogId());
        g.writeNumberField("account_id", data.account().id());
        self(g, "/api/v4/catalogs/" + e.catalogId() + "/elements/" + e.id());
        g.writeEndObject();
    }

    void customFields(JsonGenerator g, List<CustomFieldValue> values) throws IOException {
        if (values == null) {
            g.writeNullField("custom_fields_values");
            return;
        }
        g.writeArrayFieldStart("custom_fields_values");
        for (CustomFieldValue v : values) {
            g.writeStartObject();
            g.writeNumberField("field_id", v.fieldId());
            g.writeStringField("field_name", v.fieldName());
            g.writeStringField("field_code", v.fieldCode());
            g.writeStringField("field_type", drift.servedType(v.fieldId(), v.fieldType()));
            g.writeArrayFieldStart("values");
            for (FieldValue fv : v.values()) {
                g.writeStartObject();
                g.writeFieldName("value");
                Json.value(g, fv.value());
                if (fv.enumId() != null) {
                    g.writeNumberField("enum_id", fv.enumId());
                }
                if (fv.enumCode() != null) {
                    g.writeStringField("enum_code", fv.enumCode());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void tags(JsonGenerator g, List<TagRef> tags) throws IOException {
        g.writeArrayFieldStart("tags");
        for (TagRef t : tags) {
            g.writeStartObject();
            g.writeNumberField("id", t.id());
            g.writeStringField("name", t.name());
            g.writeStringField("color", t.color());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    void tag(JsonGenerator g, Tag t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", t.id());
        g.writeStringField("name", t.name());
        g.writeStringField("color", t.color());
        g.writeEndObject();
    }

    void lossReason(JsonGenerator g, LossReason r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", r.id());
        g.writeStringField("name", r.name());
        g.writeNumberField("sort", r.sort());
        g.writeNumberField("created_at", r.createdAt());
        g.writeNumberField("updated_at", r.updatedAt());
        self(g, "/api/v4/leads/loss_reasons/" + r.id());
        g.writeEndObject();
    }

    void user(JsonGenerator g, User u) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", u.id());
        g.writeStringField("name", u.name());
        g.writeStringField("email", u.email());
        g.writeStringField("lang", u.lang());
        g.writeObjectFieldStart("rights");
        for (String entity : List.of("leads", "contacts", "companies")) {
            g.writeObjectFieldStart(entity);
            for (String right : List.of("view", "edit", "add", "delete", "export")) {
                g.writeStringField(right, u.isAdmin() ? "A" : "M");
            }
            g.writeEndObject();
        }
        g.writeObjectFieldStart("tasks");
        g.writeStringField("edit", "A");
        g.writeStringField("delete", u.isAdmin() ? "A" : "D");
        g.writeEndObject();
        g.writeBooleanField("mail_access", true);
        g.writeBooleanField("catalog_access", u.isAdmin());
        g.writeArrayFieldStart("status_rights");
        g.writeEndArray();
        g.writeBooleanField("is_admin", u.isAdmin());
        g.writeBooleanField("is_free", u.isFree());
        g.writeBooleanField("is_active", u.isActive());
        Json.nullableLong(g, "group_id", u.groupId());
        Json.nullableLong(g, "role_id", u.roleId());
        g.writeEndObject();
        self(g, "/api/v4/users/" + u.id());
        g.writeEndObject();
    }

    void pipeline(JsonGenerator g, Pipeline p) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", p.id());
        g.writeStringField("name", p.name());
        g.writeNumberField("sort", p.sort());
        g.writeBooleanField("is_main", p.isMain());
        g.writeBooleanField("is_unsorted_on", p.isUnsortedOn());
        g.writeBooleanField("is_archive", p.isArchive());
        g.writeNumberField("account_id", data.account().id());
        self(g, "/api/v4/leads/pipelines/" + p.id());
        g.writeObjectFieldStart("_embedded");
        g.writeArrayFieldStart("statuses");
        for (Status s : p.statuses()) {
            status(g, s);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    void status(JsonGenerator g, Status s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", s.id());
        g.writeStringField("name", s.name());
        g.writeNumberField("sort", s.sort());
        g.writeBooleanField("is_editable", s.isEditable());
        g.writeNumberField("pipeline_id", s.pipelineId());
        g.writeStringField("color", s.color());
        g.writeNumberField("type", s.type());
        g.writeNumberField("account_id", data.account().id());
        self(g, "/api/v4/leads/pipelines/" + s.pipelineId() + "/statuses/" + s.id());
        g.writeEndObject();
    }

    void fieldDef(JsonGenerator g, CustomFieldDef f) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", f.id());
        g.writeStringField("name", f.name());
        g.writeStringField("type", f.type());
        g.writeNumberField("account_id", data.account().id());
        g.writeStringField("code", f.code());
        g.writeNumberField("sort", f.sort());
        g.writeBooleanField("is_api_only", f.isApiOnly());
        if (f.enums().isEmpty()) {
            g.writeNullField("enums");
        } else {
            g.writeArrayFieldStart("enums");
            for (CustomFieldDef.EnumDef e : f.enums()) {
                g.writeStartObject();
                g.writeNumberField("id", e.id());
                g.writeStringField("value", e.value());
                g.writeNumberField("sort", e.sort());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeNullField("group_id");
        g.writeArrayFieldStart("required_statuses");
        g.writeEndArray();
        g.writeBooleanField("is_deletable", true);
        g.writeBooleanField("is_predefined", f.code() != null);
        g.writeStringField("entity_type", f.entityType());
        g.writeNullField("remind");
        self(g, "/api/v4/" + f.entityType() + "/custom_fields/" + f.id());
        g.writeEndObject();
    }

    /** The minimal model {@code with=only_deleted} returns (reference §7). */
    void deletedLead(JsonGenerator g, Lead l) throws IOException {
        deletedItem(g, "/api/v4/leads/", l.id(), l.updatedAt());
    }

    /**
     * The minimal deleted model (reference §7): id, modification date, {@code is_deleted: true}.
     * Contacts and companies get the leads' shape; the reference shows no other.
     */
    void deletedItem(JsonGenerator g, String path, long id, long updatedAt) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", id);
        g.writeNumberField("updated_at", updatedAt);
        g.writeBooleanField("is_deleted", true);
        self(g, path + id);
        g.writeEndObject();
    }

    void account(JsonGenerator g, AccountInfo a, Set<String> with, long currentUserId) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", a.id());
        g.writeStringField("name", a.name());
        g.writeStringField("subdomain", a.subdomain());
        g.writeNumberField("created_at", a.createdAt());
        g.writeNumberField("created_by", 0);
        g.writeNumberField("updated_at", a.createdAt());
        g.writeNumberField("updated_by", 0);
        g.writeNumberField("current_user_id", currentUserId);
        g.writeStringField("country", a.country());
        g.writeStringField("currency", a.currency());
        g.writeStringField("currency_symbol", a.currencySymbol());
        g.writeStringField("customers_mode", a.customersMode());
        g.writeBooleanField("is_unsorted_on", true);
        g.writeBooleanField("is_loss_reason_enabled", true);
        g.writeBooleanField("is_helpbot_enabled", false);
        g.writeBooleanField("is_technical_account", false);
        g.writeNumberField("contact_name_display_order", 1);
        // The SDK reads is_api_filter_enabled from the account (reference §2.4, §4.2).
        g.writeBooleanField("is_api_filter_enabled", a.isApiFilterEnabled());
        self(g, "/api/v4/account");
        if (with.contains("datetime_settings")) {
            g.writeObjectFieldStart("_embedded");
            g.writeObjectFieldStart("datetime_settings");
            g.writeStringField("date_pattern", "d.m.Y H:i");
            g.writeStringField("short_date_pattern", "d.m.Y");
            g.writeStringField("short_time_pattern", "H:i");
            g.writeStringField("date_format", "d.m.Y");
            g.writeStringField("time_format", "H:i:s");
            g.writeStringField("timezone", a.timezone());
            g.writeStringField("timezone_offset",
                    java.time.ZoneId.of(a.timezone()).getRules().getOffset(java.time.Instant.now()).getId());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
