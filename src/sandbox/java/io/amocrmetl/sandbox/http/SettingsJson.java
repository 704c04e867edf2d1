package io.amocrmetl.sandbox.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.model.AccountInfo;
import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.LossReason;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.User;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Writes the account and its settings the way API v4 does (docs/amocrm-api.md §2): the account,
 * users, pipelines and their statuses, loss reasons, tags and custom field definitions.
 */
final class SettingsJson {
    private final AccountData data;
    private final JsonParts parts;

    SettingsJson(AccountData data, JsonParts parts) {
        this.data = data;
        this.parts = parts;
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
        parts.self(g, "/api/v4/leads/loss_reasons/" + r.id());
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
        parts.self(g, "/api/v4/users/" + u.id());
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
        parts.self(g, "/api/v4/leads/pipelines/" + p.id());
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
        parts.self(g, "/api/v4/leads/pipelines/" + s.pipelineId() + "/statuses/" + s.id());
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
        parts.self(g, "/api/v4/" + f.entityType() + "/custom_fields/" + f.id());
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
        // The SDK reads is_api_filter_enabled from the account (docs/amocrm-api.md §2.4, §4.2).
        g.writeBooleanField("is_api_filter_enabled", a.isApiFilterEnabled());
        parts.self(g, "/api/v4/account");
        if (with.contains("datetime_settings")) {
            g.writeObjectFieldStart("_embedded");
            g.writeObjectFieldStart("datetime_settings");
            g.writeStringField("date_pattern", "d.m.Y H:i");
            g.writeStringField("short_date_pattern", "d.m.Y");
            g.writeStringField("short_time_pattern", "H:i");
            g.writeStringField("date_format", "d.m.Y");
            g.writeStringField("time_format", "H:i:s");
            g.writeStringField("timezone", a.timezone());
            g.writeStringField(
                    "timezone_offset",
                    ZoneId.of(a.timezone()).getRules().getOffset(Instant.now()).getId());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
