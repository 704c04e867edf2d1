package io.amocrmetl.sandbox.http;

import static io.amocrmetl.sandbox.http.JsonParts.audit;
import static io.amocrmetl.sandbox.http.JsonParts.emptyArraysFor;

import com.fasterxml.jackson.core.JsonGenerator;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.model.CatalogLink;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.ContactLink;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.LossReason;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.Unsorted;
import java.io.IOException;
import java.util.Set;

/**
 * Writes the CRM records the way API v4 does (docs/amocrm-api.md §2): leads, contacts, companies,
 * tasks, notes, events and unsorted, each with an {@code _embedded} whose content {@code with=}
 * decides (§3.4), and the minimal model of a deleted record (§7).
 */
final class EntityJson {
    private final AccountData data;
    private final JsonParts parts;
    private final SettingsJson settings;

    EntityJson(AccountData data, JsonParts parts, SettingsJson settings) {
        this.data = data;
        this.parts = parts;
        this.settings = settings;
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
        parts.customFields(g, l.customFields());
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
        parts.extras(g, "leads");
        parts.self(g, "/api/v4/leads/" + l.id());
        g.writeObjectFieldStart("_embedded");
        parts.tags(g, l.tags());
        g.writeArrayFieldStart("companies");
        if (l.companyId() != null) {
            parts.idRef(g, l.companyId(), "/api/v4/companies/");
        }
        g.writeEndArray();
        if (with.contains("contacts")) {
            g.writeArrayFieldStart("contacts");
            for (ContactLink c : l.contacts()) {
                g.writeStartObject();
                g.writeNumberField("id", c.contactId());
                g.writeBooleanField("is_main", c.isMain());
                parts.self(g, "/api/v4/contacts/" + c.contactId());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (with.contains("loss_reason")) {
            // The SDK reads _embedded.loss_reason as an array and takes [0] (docs/amocrm-api.md §2.2).
            g.writeArrayFieldStart("loss_reason");
            if (l.lossReasonId() != null) {
                for (LossReason r : data.lossReasons()) {
                    if (r.id() == l.lossReasonId()) {
                        settings.lossReason(g, r);
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
                parts.self(g, "/api/v4/catalogs/" + c.catalogId() + "/elements/" + c.elementId());
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
        parts.customFields(g, c.customFields());
        g.writeNumberField("account_id", data.account().id());
        parts.extras(g, "contacts");
        parts.self(g, "/api/v4/contacts/" + c.id());
        g.writeObjectFieldStart("_embedded");
        parts.tags(g, c.tags());
        g.writeArrayFieldStart("companies");
        if (c.companyId() != null) {
            parts.idRef(g, c.companyId(), "/api/v4/companies/");
        }
        g.writeEndArray();
        if (with.contains("leads")) {
            g.writeArrayFieldStart("leads");
            for (long id : data.contactLeads(c.id())) {
                parts.idRef(g, id, "/api/v4/leads/");
            }
            g.writeEndArray();
        }
        if (with.contains("customers")) {
            // The live customers whose contacts include this one (docs/amocrm-api.md §3.4).
            g.writeArrayFieldStart("customers");
            for (long id : data.contactCustomers(c.id())) {
                parts.idRef(g, id, "/api/v4/customers/");
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
        parts.customFields(g, c.customFields());
        g.writeBooleanField("is_deleted", false);
        g.writeNumberField("account_id", data.account().id());
        parts.extras(g, "companies");
        parts.self(g, "/api/v4/companies/" + c.id());
        g.writeObjectFieldStart("_embedded");
        parts.tags(g, c.tags());
        if (with.contains("contacts")) {
            g.writeArrayFieldStart("contacts");
            for (long id : data.companyContacts(c.id())) {
                parts.idRef(g, id, "/api/v4/contacts/");
            }
            g.writeEndArray();
        }
        if (with.contains("leads")) {
            g.writeArrayFieldStart("leads");
            for (long id : data.companyLeads(c.id())) {
                parts.idRef(g, id, "/api/v4/leads/");
            }
            g.writeEndArray();
        }
        // Customers in the sandbox link contacts only (Customer.contactIds), and companies have no
        // list elements, so with=customers and with=catalog_elements give [] here (docs/amocrm-api.md §3.4).
        emptyArraysFor(g, with, "customers", "catalog_elements");
        g.writeEndObject();
        g.writeEndObject();
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
        parts.extras(g, "tasks");
        parts.self(g, "/api/v4/tasks/" + t.id());
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
        parts.extras(g, "notes");
        parts.self(g, "/api/v4/" + n.entityType() + "/" + n.entityId() + "/notes/" + n.id());
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
        parts.extras(g, "events");
        parts.self(g, "/api/v4/events/" + e.id());
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
        parts.self(g, "/api/v4/leads/unsorted/" + u.uid());
        g.writeObjectFieldStart("_embedded");
        parts.idRefs(g, "leads", u.leadId(), "/api/v4/leads/");
        parts.idRefs(g, "contacts", u.contactId(), "/api/v4/contacts/");
        parts.idRefs(g, "companies", u.companyId(), "/api/v4/companies/");
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The minimal model {@code with=only_deleted} returns (docs/amocrm-api.md §7). */
    void deletedLead(JsonGenerator g, Lead l) throws IOException {
        deletedItem(g, "/api/v4/leads/", l.id(), l.updatedAt());
    }

    /**
     * The minimal deleted model (docs/amocrm-api.md §7): id, modification date, {@code is_deleted: true}.
     * Contacts and companies get the leads' shape; docs/amocrm-api.md shows no other.
     */
    void deletedItem(JsonGenerator g, String path, long id, long updatedAt) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", id);
        g.writeNumberField("updated_at", updatedAt);
        g.writeBooleanField("is_deleted", true);
        parts.self(g, path + id);
        g.writeEndObject();
    }
}
