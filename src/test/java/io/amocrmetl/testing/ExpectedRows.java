package io.amocrmetl.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.AccountInfo;
import io.amocrmetl.sandbox.model.Catalog;
import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.CatalogLink;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.ContactLink;
import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
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
import io.amocrmetl.sandbox.model.Unsorted;
import io.amocrmetl.sandbox.model.User;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code format("amocrm")} must return for each entity, built from the sandbox's ground
 * truth by test code of its own (never the product's converter), in {@link Canonical} terms. It
 * follows the documented field lists (docs/amocrm-api.md §2.2–2.4) and what the sandbox serves with every
 * {@code with=} the full schema asks for.
 */
public final class ExpectedRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GroundTruth t;
    private final long account;

    public ExpectedRows(GroundTruth truth) {
        this.t = truth;
        this.account = truth.account().id();
    }

    public List<Map<String, Object>> of(String entity) {
        return switch (entity) {
            case "leads" -> map(t.leads().live(), this::lead);
            case "contacts" -> map(t.contacts().live(), this::contact);
            case "companies" -> map(t.companies().live(), this::company);
            case "tasks" -> map(t.tasks().live(), this::task);
            case "notes" -> notes();
            case "events" -> map(t.events(), this::event);
            case "unsorted" -> map(t.unsorted().live(), this::unsorted);
            case "customers" -> map(t.customers().live(), this::customer);
            case "customer_transactions" -> map(t.transactions().live(), this::transaction);
            case "catalogs" -> map(t.catalogs(), this::catalog);
            case "catalog_elements" -> {
                List<Map<String, Object>> out = new ArrayList<>();
                t.catalogElements().values().forEach(e -> out.addAll(map(e.live(), this::element)));
                yield out;
            }
            case "users" -> map(t.users(), this::user);
            case "pipelines" -> map(t.pipelines(), this::pipeline);
            case "statuses" -> {
                List<Map<String, Object>> out = new ArrayList<>();
                t.pipelines().forEach(p -> out.addAll(map(p.statuses(), this::status)));
                yield out;
            }
            case "loss_reasons" -> map(t.lossReasons(), this::lossReason);
            case "tags" -> {
                List<Map<String, Object>> out = new ArrayList<>();
                t.tags().values().forEach(list -> out.addAll(map(list, this::tag)));
                yield out;
            }
            case "custom_fields" -> customFieldDefs();
            case "account" -> List.of(account(t.account()));
            default -> throw new IllegalArgumentException(entity);
        };
    }

    /**
     * Deleted leads, contacts, companies and tasks in their last state, each with
     * {@code _deleted_at} (sandbox seconds): what a lake that saw them keeps, flagged.
     */
    public List<Map<String, Object>> deleted(String entity) {
        List<Map<String, Object>> out = new ArrayList<>();
        switch (entity) {
            case "leads" -> t.leads().deleted().forEach(d -> out.add(flag(lead(d.record()), d.deletedAt())));
            case "contacts" -> t.contacts().deleted().forEach(d -> out.add(flag(contact(d.record()), d.deletedAt())));
            case "companies" -> t.companies().deleted().forEach(d -> out.add(flag(company(d.record()), d.deletedAt())));
            case "tasks" -> t.tasks().deleted().forEach(d -> out.add(flag(task(d.record()), d.deletedAt())));
            default -> {
                // no deletions tracked for other entities
            }
        }
        return out;
    }

    private static Map<String, Object> flag(Map<String, Object> row, long deletedAt) {
        Map<String, Object> m = new LinkedHashMap<>(row);
        m.put("_deleted_at", deletedAt);
        return m;
    }

    private static <T> List<Map<String, Object>> map(
            List<T> in, java.util.function.Function<T, Map<String, Object>> f) {
        List<Map<String, Object>> out = new ArrayList<>(in.size());
        in.forEach(x -> out.add(f.apply(x)));
        return out;
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v instanceof Integer n ? Long.valueOf(n) : v);
        }
        return m;
    }

    static String money(long whole) {
        return Canonical.money(BigDecimal.valueOf(whole));
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A custom-field value as the reader keeps it: scalars as their JSON text, objects as JSON. */
    public static String fieldValueText(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return json(v);
        }
        return String.valueOf(v);
    }

    public static List<Object> customFields(List<CustomFieldValue> values) {
        if (values == null) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (CustomFieldValue f : values) {
            List<Object> vs = new ArrayList<>();
            for (FieldValue v : f.values()) {
                vs.add(row("value", fieldValueText(v.value()), "enum_id", v.enumId(), "enum_code", v.enumCode()));
            }
            out.add(row(
                    "field_id",
                    f.fieldId(),
                    "field_name",
                    f.fieldName(),
                    "field_code",
                    f.fieldCode(),
                    "field_type",
                    f.fieldType(),
                    "values",
                    vs));
        }
        return out;
    }

    private static List<Object> tags(List<TagRef> tags) {
        List<Object> out = new ArrayList<>();
        for (TagRef tag : tags) {
            out.add(row("id", tag.id(), "name", tag.name(), "color", tag.color()));
        }
        return out;
    }

    private static List<Object> ids(List<Long> ids) {
        List<Object> out = new ArrayList<>();
        for (Long id : ids) {
            out.add(row("id", id));
        }
        return out;
    }

    private static List<Object> idOrNone(Long id) {
        return id == null ? List.of() : ids(List.of(id));
    }

    private Map<String, Object> lead(Lead l) {
        List<Object> contacts = new ArrayList<>();
        for (ContactLink c : l.contacts()) {
            contacts.add(row("id", c.contactId(), "is_main", c.isMain()));
        }
        List<Object> elements = new ArrayList<>();
        for (CatalogLink c : t.leadCatalogElements().getOrDefault(l.id(), List.of())) {
            elements.add(
                    row("id", c.elementId(), "quantity", c.quantity(), "catalog_id", c.catalogId(), "price_id", null));
        }
        String price = l.priceWithMinorUnits() != null ? Canonical.money(l.priceWithMinorUnits()) : money(l.price());
        return row(
                "id",
                l.id(),
                "name",
                l.name(),
                "price",
                price,
                "responsible_user_id",
                l.responsibleUserId(),
                "group_id",
                l.groupId(),
                "status_id",
                l.statusId(),
                "pipeline_id",
                l.pipelineId(),
                "loss_reason_id",
                l.lossReasonId(),
                "source_id",
                l.sourceId(),
                "created_by",
                l.createdBy(),
                "updated_by",
                l.updatedBy(),
                "created_at",
                l.createdAt(),
                "updated_at",
                l.updatedAt(),
                "closed_at",
                l.closedAt(),
                "closest_task_at",
                l.closestTaskAt(),
                "is_deleted",
                false,
                "score",
                l.score() == null ? null : (long) l.score(),
                "account_id",
                account,
                "labor_cost",
                l.laborCost(),
                "is_price_modified_by_robot",
                false,
                "custom_fields",
                customFields(l.customFields()),
                "tags",
                tags(l.tags()),
                "companies",
                idOrNone(l.companyId()),
                "contacts",
                contacts,
                "catalog_elements",
                elements,
                "_drift",
                null);
    }

    private Map<String, Object> contact(Contact c) {
        List<Long> leads = t.leads().live().stream()
                .filter(l -> l.contacts().stream().anyMatch(x -> x.contactId() == c.id()))
                .map(Lead::id)
                .toList();
        List<Long> customers = t.customers().live().stream()
                .filter(x -> x.contactIds().contains(c.id()))
                .map(Customer::id)
                .sorted()
                .toList();
        return row(
                "id",
                c.id(),
                "name",
                c.name(),
                "first_name",
                c.firstName(),
                "last_name",
                c.lastName(),
                "responsible_user_id",
                c.responsibleUserId(),
                "group_id",
                c.groupId(),
                "created_by",
                c.createdBy(),
                "updated_by",
                c.updatedBy(),
                "created_at",
                c.createdAt(),
                "updated_at",
                c.updatedAt(),
                "closest_task_at",
                c.closestTaskAt(),
                "is_deleted",
                false,
                "is_unsorted",
                false,
                "account_id",
                account,
                "custom_fields",
                customFields(c.customFields()),
                "tags",
                tags(c.tags()),
                "companies",
                idOrNone(c.companyId()),
                "leads",
                ids(leads),
                "customers",
                ids(customers),
                "catalog_elements",
                List.of(),
                "_drift",
                null);
    }

    private Map<String, Object> company(Company c) {
        List<Long> contacts = t.contacts().live().stream()
                .filter(x -> Long.valueOf(c.id()).equals(x.companyId()))
                .map(Contact::id)
                .toList();
        List<Long> leads = t.leads().live().stream()
                .filter(l -> Long.valueOf(c.id()).equals(l.companyId()))
                .map(Lead::id)
                .toList();
        return row(
                "id",
                c.id(),
                "name",
                c.name(),
                "responsible_user_id",
                c.responsibleUserId(),
                "group_id",
                c.groupId(),
                "created_by",
                c.createdBy(),
                "updated_by",
                c.updatedBy(),
                "created_at",
                c.createdAt(),
                "updated_at",
                c.updatedAt(),
                "closest_task_at",
                c.closestTaskAt(),
                "is_deleted",
                false,
                "account_id",
                account,
                "custom_fields",
                customFields(c.customFields()),
                "tags",
                tags(c.tags()),
                "contacts",
                ids(contacts),
                "leads",
                ids(leads),
                "customers",
                List.of(),
                "catalog_elements",
                List.of(),
                "_drift",
                null);
    }

    private Map<String, Object> task(Task x) {
        return row(
                "id",
                x.id(),
                "created_by",
                x.createdBy(),
                "updated_by",
                x.updatedBy(),
                "created_at",
                x.createdAt(),
                "updated_at",
                x.updatedAt(),
                "responsible_user_id",
                x.responsibleUserId(),
                "group_id",
                x.groupId(),
                "entity_id",
                x.entityId(),
                "entity_type",
                x.entityType(),
                "duration",
                x.duration(),
                "is_completed",
                x.isCompleted(),
                "task_type_id",
                x.taskTypeId(),
                "text",
                x.text(),
                "result_text",
                x.resultText(),
                "complete_till",
                x.completeTill(),
                "account_id",
                account,
                "_drift",
                null);
    }

    private List<Map<String, Object>> notes() {
        List<Map<String, Object>> out = new ArrayList<>();
        t.notes().forEach((type, e) -> {
            for (Note n : e.live()) {
                out.add(row(
                        "entity_type",
                        type,
                        "id",
                        n.id(),
                        "entity_id",
                        n.entityId(),
                        "created_by",
                        n.createdBy(),
                        "updated_by",
                        n.updatedBy(),
                        "created_at",
                        n.createdAt(),
                        "updated_at",
                        n.updatedAt(),
                        "responsible_user_id",
                        n.responsibleUserId(),
                        "group_id",
                        n.groupId(),
                        "note_type",
                        n.noteType(),
                        "params",
                        json(n.params()),
                        "account_id",
                        account,
                        "is_pinned",
                        n.isPinned(),
                        "_drift",
                        null));
            }
        });
        return out;
    }

    private Map<String, Object> event(Event e) {
        return row(
                "id",
                e.id(),
                "type",
                e.type(),
                "entity_id",
                e.entityId(),
                "entity_type",
                e.entityType(),
                "created_by",
                e.createdBy(),
                "created_at",
                e.createdAt(),
                "value_after",
                json(e.valueAfter()),
                "value_before",
                json(e.valueBefore()),
                "account_id",
                account,
                "_drift",
                null);
    }

    private Map<String, Object> unsorted(Unsorted u) {
        return row(
                "uid",
                u.uid(),
                "source_uid",
                u.sourceUid(),
                "source_name",
                u.sourceName(),
                "category",
                u.category(),
                "pipeline_id",
                u.pipelineId(),
                "created_at",
                u.createdAt(),
                "metadata",
                json(u.metadata()),
                "account_id",
                account,
                "leads",
                idOrNone(u.leadId()),
                "contacts",
                idOrNone(u.contactId()),
                "companies",
                idOrNone(u.companyId()),
                "_drift",
                null);
    }

    private Map<String, Object> customer(Customer c) {
        return row(
                "id",
                c.id(),
                "name",
                c.name(),
                "next_price",
                money(c.nextPrice()),
                "next_date",
                c.nextDate(),
                "responsible_user_id",
                c.responsibleUserId(),
                "status_id",
                c.statusId(),
                "periodicity",
                c.periodicity() == null ? null : (long) c.periodicity(),
                "created_by",
                c.createdBy(),
                "updated_by",
                c.updatedBy(),
                "created_at",
                c.createdAt(),
                "updated_at",
                c.updatedAt(),
                "closest_task_at",
                c.closestTaskAt(),
                "is_deleted",
                false,
                "ltv",
                money(c.ltv()),
                "purchases_count",
                (long) c.purchasesCount(),
                "average_check",
                money(c.averageCheck()),
                "account_id",
                account,
                "custom_fields",
                customFields(c.customFields()),
                "tags",
                tags(c.tags()),
                "contacts",
                ids(c.contactIds()),
                "companies",
                List.of(),
                "segments",
                List.of(),
                "catalog_elements",
                List.of(),
                "_drift",
                null);
    }

    private Map<String, Object> transaction(CustomerTransaction x) {
        return row(
                "id",
                x.id(),
                "customer_id",
                x.customerId(),
                "price",
                money(x.price()),
                "comment",
                x.comment(),
                "completed_at",
                x.completedAt(),
                "created_at",
                x.createdAt(),
                "updated_at",
                x.updatedAt(),
                "created_by",
                x.createdBy(),
                "updated_by",
                x.updatedBy(),
                "is_deleted",
                false,
                "next_price",
                x.nextPrice() == null ? null : money(x.nextPrice()),
                "next_date",
                x.nextDate(),
                "account_id",
                account,
                "_drift",
                null);
    }

    private Map<String, Object> catalog(Catalog c) {
        return row(
                "id",
                c.id(),
                "name",
                c.name(),
                "type",
                c.type(),
                "sort",
                (long) c.sort(),
                "can_add_elements",
                c.canAddElements(),
                "can_link_multiple",
                c.canLinkMultiple(),
                "can_show_in_cards",
                c.canShowInCards(),
                "can_be_deleted",
                c.canBeDeleted(),
                "sdk_widget_code",
                null,
                "created_by",
                c.createdBy(),
                "updated_by",
                c.updatedBy(),
                "created_at",
                c.createdAt(),
                "updated_at",
                c.updatedAt(),
                "account_id",
                account,
                "_drift",
                null);
    }

    private Map<String, Object> element(CatalogElement e) {
        return row(
                "id",
                e.id(),
                "catalog_id",
                e.catalogId(),
                "name",
                e.name(),
                "created_by",
                e.createdBy(),
                "updated_by",
                e.updatedBy(),
                "created_at",
                e.createdAt(),
                "updated_at",
                e.updatedAt(),
                "is_deleted",
                false,
                "account_id",
                account,
                "custom_fields",
                customFields(e.customFields()),
                "_drift",
                null);
    }

    private Map<String, Object> user(User u) {
        return row(
                "id",
                u.id(),
                "name",
                u.name(),
                "email",
                u.email(),
                "lang",
                u.lang(),
                "is_admin",
                u.isAdmin(),
                "is_free",
                u.isFree(),
                "is_active",
                u.isActive(),
                "group_id",
                u.groupId(),
                "role_id",
                u.roleId(),
                "mail_access",
                true,
                "catalog_access",
                u.isAdmin(),
                "account_id",
                account,
                "_drift",
                null);
    }

    private Map<String, Object> pipeline(Pipeline p) {
        return row(
                "id",
                p.id(),
                "name",
                p.name(),
                "sort",
                (long) p.sort(),
                "is_main",
                p.isMain(),
                "is_unsorted_on",
                p.isUnsortedOn(),
                "is_archive",
                p.isArchive(),
                "account_id",
                account,
                "_drift",
                null);
    }

    private Map<String, Object> status(Status s) {
        return row(
                "pipeline_id",
                s.pipelineId(),
                "id",
                s.id(),
                "name",
                s.name(),
                "sort",
                (long) s.sort(),
                "is_editable",
                s.isEditable(),
                "color",
                s.color(),
                "type",
                (long) s.type(),
                "account_id",
                account,
                "_drift",
                null);
    }

    private Map<String, Object> lossReason(LossReason r) {
        return row(
                "id",
                r.id(),
                "name",
                r.name(),
                "sort",
                (long) r.sort(),
                "created_at",
                r.createdAt(),
                "updated_at",
                r.updatedAt(),
                "account_id",
                account,
                "_drift",
                null);
    }

    private Map<String, Object> tag(Tag x) {
        return row(
                "entity_type",
                x.entityType(),
                "id",
                x.id(),
                "name",
                x.name(),
                "color",
                x.color(),
                "account_id",
                account,
                "_drift",
                null);
    }

    private List<Map<String, Object>> customFieldDefs() {
        List<Map<String, Object>> out = new ArrayList<>();
        t.customFields().forEach((key, defs) -> {
            boolean list = key.startsWith("catalogs/");
            Long catalog = list ? Long.valueOf(key.substring("catalogs/".length())) : null;
            for (CustomFieldDef f : defs) {
                List<Object> enums = new ArrayList<>();
                f.enums().forEach(e -> enums.add(row("id", e.id(), "value", e.value(), "sort", (long) e.sort())));
                out.add(row(
                        "entity_type",
                        list ? "catalogs" : key,
                        "catalog_id",
                        catalog,
                        "id",
                        f.id(),
                        "name",
                        f.name(),
                        "code",
                        f.code(),
                        "sort",
                        (long) f.sort(),
                        "type",
                        f.type(),
                        "is_api_only",
                        f.isApiOnly(),
                        "is_predefined",
                        f.code() != null,
                        "is_deletable",
                        true,
                        "group_id",
                        null,
                        "enums",
                        enums.isEmpty() ? null : enums,
                        "required_statuses",
                        "[]",
                        "account_id",
                        account,
                        "_drift",
                        null));
            }
        });
        return out;
    }

    private Map<String, Object> account(AccountInfo a) {
        return row(
                "id",
                a.id(),
                "name",
                a.name(),
                "subdomain",
                a.subdomain(),
                "created_at",
                a.createdAt(),
                "created_by",
                0L,
                "updated_at",
                a.createdAt(),
                "updated_by",
                0L,
                "current_user_id",
                a.currentUserId(),
                "country",
                a.country(),
                "currency",
                a.currency(),
                "currency_symbol",
                a.currencySymbol(),
                "customers_mode",
                a.customersMode(),
                "is_unsorted_on",
                true,
                "is_loss_reason_enabled",
                true,
                "is_helpbot_enabled",
                false,
                "is_technical_account",
                false,
                "contact_name_display_order",
                1L,
                "is_api_filter_enabled",
                a.isApiFilterEnabled(),
                "timezone",
                a.timezone(),
                "_drift",
                null);
    }
}
