package io.amocrmetl.sandbox.http;

import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.EntityTable.OrderKey;
import io.amocrmetl.sandbox.data.Fidelity;
import io.amocrmetl.sandbox.data.ListQuery;
import io.amocrmetl.sandbox.data.PageResult;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.Unsorted;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The paged entity lists of API v4 (docs/amocrm-api.md §3, §4): each endpoint's documented
 * filters on top of the shared ordering and ranges, {@code with=only_deleted} for the recycle bin,
 * and the events list with its own created_at forms and limits.
 */
final class EntityLists {
    private final AccountData data;
    private final Fidelity fidelity;
    private final ListParams params;
    private final HalEnvelopes envelopes;
    private final EntityJson json;
    private final CustomerJson customerJson;

    EntityLists(
            AccountData data, ListParams params, HalEnvelopes envelopes, EntityJson json, CustomerJson customerJson) {
        this.data = data;
        this.fidelity = data.fidelity();
        this.params = params;
        this.envelopes = envelopes;
        this.json = json;
        this.customerJson = customerJson;
    }

    HttpResponse leads(HttpRequest req, QueryParams q, Set<String> with) {
        if (with.contains("only_deleted")) {
            // Only deleted leads that can still be restored, as a minimal model (docs/amocrm-api.md §7).
            int[] pl = params.pageAndLimit(q, 250);
            return envelopes.hal(req, "leads", data.deletedLeads(pl[0], pl[1]), pl, json::deletedLead);
        }
        boolean filters = fidelity.honourFilters;
        List<Long> pipelines = filters ? q.longs("filter[pipeline_id]") : List.of();
        List<Long> responsible = filters ? q.longs("filter[responsible_user_id]") : List.of();
        List<long[]> statuses = filters ? statusPairs(q) : List.of();
        Predicate<Lead> p = l -> (pipelines.isEmpty() || pipelines.contains(l.pipelineId()))
                && (responsible.isEmpty() || responsible.contains(l.responsibleUserId()))
                && (statuses.isEmpty()
                        || statuses.stream().anyMatch(s -> s[0] == l.pipelineId() && s[1] == l.statusId()));
        ListQuery<Lead> lq = params.query(req, q, p, filters);
        int[] pl = params.pageAndLimit(q, 250);
        PageResult<Lead> page = data.leads(lq, pl[0], pl[1]);
        return envelopes.hal(req, "leads", page, pl, (g, l) -> json.lead(g, l, with));
    }

    /**
     * {@code filter[statuses][N][pipeline_id]} + {@code [status_id]} pairs (docs/amocrm-api.md §4.2). Under
     * {@link Fidelity#statusesSinglePair} ("only one stage in one pipeline", §9.8) more than one
     * pair is a validation error naming filter[statuses].
     */
    private List<long[]> statusPairs(QueryParams q) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Long p = q.longParam("filter[statuses][" + i + "][pipeline_id]");
            Long s = q.longParam("filter[statuses][" + i + "][status_id]");
            if (p == null && s == null) {
                break;
            }
            if (p == null || s == null) {
                throw new QueryParams.BadParam("filter[statuses][" + i + "]", "needs both pipeline_id and status_id");
            }
            out.add(new long[] {p, s});
        }
        if (out.size() > 1 && fidelity.statusesSinglePair) {
            throw new QueryParams.BadParam("filter[statuses]", "only one stage in one pipeline per request");
        }
        return out;
    }

    HttpResponse contacts(HttpRequest req, QueryParams q, Set<String> with) {
        if (with.contains("only_deleted")) {
            // The SDK offers only_deleted on contacts too (docs/amocrm-api.md §7): the leads' minimal model.
            int[] pl = params.pageAndLimit(q, 250);
            return envelopes.hal(
                    req,
                    "contacts",
                    data.deletedContacts(pl[0], pl[1]),
                    pl,
                    (g, c) -> json.deletedItem(g, "/api/v4/contacts/", c.id(), c.updatedAt()));
        }
        boolean filters = fidelity.honourFilters;
        List<Long> responsible = filters ? q.longs("filter[responsible_user_id]") : List.of();
        ListQuery<Contact> lq = params.query(
                req, q, c -> responsible.isEmpty() || responsible.contains(c.responsibleUserId()), filters);
        int[] pl = params.pageAndLimit(q, 250);
        return envelopes.hal(req, "contacts", data.contacts(lq, pl[0], pl[1]), pl, (g, c) -> json.contact(g, c, with));
    }

    HttpResponse companies(HttpRequest req, QueryParams q, Set<String> with) {
        if (with.contains("only_deleted")) {
            // Deleted companies still in the bin (docs/amocrm-api.md §3.4, §7), as the leads' minimal model.
            int[] pl = params.pageAndLimit(q, 250);
            return envelopes.hal(
                    req,
                    "companies",
                    data.deletedCompanies(pl[0], pl[1]),
                    pl,
                    (g, c) -> json.deletedItem(g, "/api/v4/companies/", c.id(), c.updatedAt()));
        }
        boolean filters = fidelity.honourFilters;
        List<Long> responsible = filters ? q.longs("filter[responsible_user_id]") : List.of();
        ListQuery<Company> lq = params.query(
                req, q, c -> responsible.isEmpty() || responsible.contains(c.responsibleUserId()), filters);
        int[] pl = params.pageAndLimit(q, 250);
        return envelopes.hal(
                req, "companies", data.companies(lq, pl[0], pl[1]), pl, (g, c) -> json.company(g, c, with));
    }

    /** Unsorted (docs/amocrm-api.md §2.4): filter[uid], filter[category][], filter[pipeline_id]; cursor created_at. */
    HttpResponse unsorted(HttpRequest req, QueryParams q) {
        Set<String> uids = new HashSet<>(q.multi("filter[uid]", true));
        Set<String> categories = new HashSet<>(q.multi("filter[category]", true));
        List<Long> pipelines = q.longs("filter[pipeline_id]");
        ListQuery<Unsorted> lq = params.query(
                req,
                q,
                u -> (uids.isEmpty() || uids.contains(u.uid()))
                        && (categories.isEmpty() || categories.contains(u.category()))
                        && (pipelines.isEmpty() || pipelines.contains(u.pipelineId())),
                true);
        int[] pl = params.pageAndLimit(q, 250);
        return envelopes.hal(req, "unsorted", data.unsorted(lq, pl[0], pl[1]), pl, json::unsorted);
    }

    HttpResponse customers(HttpRequest req, QueryParams q, Set<String> with) {
        boolean filters = fidelity.honourFilters;
        ListQuery<Customer> lq = params.query(req, q, c -> true, filters);
        int[] pl = params.pageAndLimit(q, 250);
        return envelopes.hal(
                req, "customers", data.customers(lq, pl[0], pl[1]), pl, (g, c) -> customerJson.customer(g, c, with));
    }

    HttpResponse transactions(HttpRequest req, QueryParams q, Long customerId) {
        List<Long> customers = customerId != null ? List.of(customerId) : q.longs("filter[customer_id]");
        ListQuery<CustomerTransaction> lq =
                params.query(req, q, t -> customers.isEmpty() || customers.contains(t.customerId()), true);
        int[] pl = params.pageAndLimit(q, 250);
        return envelopes.hal(req, "transactions", data.transactions(lq, pl[0], pl[1]), pl, customerJson::transaction);
    }

    HttpResponse tasks(HttpRequest req, QueryParams q) {
        String completed = q.first("filter[is_completed]");
        List<Long> types = q.longs("filter[task_type]");
        List<Long> entityIds = q.longs("filter[entity_id]");
        String entityType = q.first("filter[entity_type]");
        List<Long> responsible = q.longs("filter[responsible_user_id]");
        Predicate<Task> p =
                t -> (completed == null || t.isCompleted() == ("1".equals(completed) || "true".equals(completed)))
                        && (types.isEmpty() || types.contains(t.taskTypeId()))
                        && (entityIds.isEmpty() || (t.entityId() != null && entityIds.contains(t.entityId())))
                        && (entityType == null || entityType.equals(t.entityType()))
                        && (responsible.isEmpty() || responsible.contains(t.responsibleUserId()));
        ListQuery<Task> lq = params.query(req, q, p, true);
        int[] pl = params.pageAndLimit(q, 250);
        return envelopes.hal(req, "tasks", data.tasks(lq, pl[0], pl[1]), pl, json::task);
    }

    HttpResponse notes(HttpRequest req, QueryParams q, Set<String> with, String entityType, Long entityId) {
        Set<String> types = new HashSet<>(q.multi("filter[note_type]", true));
        List<Long> entityIds = entityId != null ? List.of(entityId) : q.longs("filter[entity_id]");
        Predicate<Note> p = n -> (types.isEmpty() || types.contains(n.noteType()))
                && (entityIds.isEmpty() || entityIds.contains(n.entityId()));
        ListQuery<Note> lq = params.query(req, q, p, true);
        int[] pl = params.pageAndLimit(q, 250);
        return envelopes.hal(
                req, "notes", data.notes(entityType, lq, pl[0], pl[1]), pl, (g, n) -> json.note(g, n, with));
    }

    HttpResponse events(HttpRequest req, QueryParams q, Set<String> with) {
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        // filter[created_at] is a [from]/[to] range, or the older comma form "from,to", or one
        // timestamp meaning "created after it" (docs/amocrm-api.md §4.3, §9.11-ish contradiction).
        Fidelity.CreatedAtForm form = fidelity.eventsCreatedAt;
        boolean range = form != Fidelity.CreatedAtForm.COMMA;
        Long f = range ? q.longParam("filter[created_at][from]") : null;
        Long t = range ? q.longParam("filter[created_at][to]") : null;
        String flat = form != Fidelity.CreatedAtForm.RANGE ? q.first("filter[created_at]") : null;
        if (flat != null && !flat.isBlank()) {
            String[] parts = flat.split(",");
            try {
                f = Long.parseLong(parts[0].trim());
                if (parts.length > 1) {
                    t = Long.parseLong(parts[1].trim());
                }
            } catch (NumberFormatException e) {
                throw new QueryParams.BadParam("filter[created_at]", "not a timestamp: " + flat);
            }
        }
        from = f == null ? from : params.fromBound(f);
        to = t == null ? to : params.toBound(t);
        Set<String> types = new HashSet<>(q.multi("filter[type]", true));
        Set<String> entities = new HashSet<>(q.multi("filter[entity]", true));
        List<Long> entityIds = q.longs("filter[entity_id]");
        if (!entityIds.isEmpty()) {
            if (entityIds.size() > 10) {
                throw new QueryParams.BadParam("filter[entity_id]", "at most 10 ids");
            }
            if (entities.size() != 1) {
                throw new QueryParams.BadParam("filter[entity_id]", "needs exactly one filter[entity]");
            }
        }
        Set<String> ids = new HashSet<>(q.multi("filter[id]", true));
        List<Long> createdBy = q.longs("filter[created_by]");
        if (createdBy.size() > 10) {
            throw new QueryParams.BadParam("filter[created_by]", "at most 10 users");
        }
        Predicate<Event> p = e -> (types.isEmpty() || types.contains(e.type()))
                && (entities.isEmpty() || entities.contains(e.entityType()))
                && (entityIds.isEmpty() || entityIds.contains(e.entityId()))
                && (ids.isEmpty() || ids.contains(e.id()))
                && (createdBy.isEmpty() || createdBy.contains(e.createdBy()));
        int[] pl = params.pageAndLimit(q, fidelity.eventsPageMax);
        PageResult<Event> page = data.events(from, to, p, pl[0], pl[1]);
        return envelopes.hal(req, "events", page, pl, (g, e) -> json.event(g, e, with, entityName(e, with)));
    }

    private String entityName(Event e, Set<String> with) {
        String wanted = e.entityType() + "_name";
        if (!with.contains(wanted)) {
            return null;
        }
        ListQuery<Object> byId = new ListQuery<>(
                OrderKey.ID,
                false,
                Long.MIN_VALUE,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                Long.MAX_VALUE,
                Set.of(e.entityId()),
                r -> true);
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<?> found = switch (e.entityType()) {
            case "lead" -> data.leads((ListQuery) byId, 1, 1).items();
            case "contact" -> data.contacts((ListQuery) byId, 1, 1).items();
            case "company" -> data.companies((ListQuery) byId, 1, 1).items();
            default -> List.of();
        };
        if (found.isEmpty()) {
            return null;
        }
        Object r = found.get(0);
        return r instanceof Lead l ? l.name() : r instanceof Contact c ? c.name() : ((Company) r).name();
    }
}
