package io.amocrmetl.sandbox.http;

import static io.amocrmetl.sandbox.http.JsonParts.audit;
import static io.amocrmetl.sandbox.http.JsonParts.emptyArraysFor;

import com.fasterxml.jackson.core.JsonGenerator;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.model.Catalog;
import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import java.io.IOException;
import java.util.Set;

/**
 * Writes customers and their transactions, and the lists (catalogs) with their elements, the way
 * API v4 does (docs/amocrm-api.md §2).
 */
final class CustomerJson {
    private final AccountData data;
    private final JsonParts parts;

    CustomerJson(AccountData data, JsonParts parts) {
        this.data = data;
        this.parts = parts;
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
        parts.customFields(g, c.customFields());
        g.writeNumberField("ltv", c.ltv());
        g.writeNumberField("purchases_count", c.purchasesCount());
        g.writeNumberField("average_check", c.averageCheck());
        g.writeNumberField("account_id", data.account().id());
        parts.self(g, "/api/v4/customers/" + c.id());
        g.writeObjectFieldStart("_embedded");
        parts.tags(g, c.tags());
        if (with.contains("contacts")) {
            g.writeArrayFieldStart("contacts");
            for (long id : c.contactIds()) {
                parts.idRef(g, id, "/api/v4/contacts/");
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
        parts.self(g, "/api/v4/customers/" + t.customerId() + "/transactions/" + t.id());
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
        parts.self(g, "/api/v4/catalogs/" + c.id());
        g.writeEndObject();
    }

    void element(JsonGenerator g, CatalogElement e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", e.id());
        g.writeStringField("name", e.name());
        audit(g, e.createdBy(), e.updatedBy(), e.createdAt(), e.updatedAt());
        g.writeBooleanField("is_deleted", false);
        parts.customFields(g, e.customFields());
        g.writeNumberField("catalog_id", e.catalogId());
        g.writeNumberField("account_id", data.account().id());
        parts.self(g, "/api/v4/catalogs/" + e.catalogId() + "/elements/" + e.id());
        g.writeEndObject();
    }
}
