package io.amocrmetl.sandbox.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.Fidelity;
import io.amocrmetl.sandbox.model.User;
import io.amocrmetl.sandbox.data.EntityTable.OrderKey;
import io.amocrmetl.sandbox.data.ListQuery;
import io.amocrmetl.sandbox.data.PageResult;
import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Unsorted;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Task;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The amoCRM API v4 read endpoints (reference §2, §3, §4): HAL lists with {@code _page},
 * {@code _links} and {@code _embedded}; {@code page} + {@code limit}; 204 with no body for an
 * empty page; the documented filters, {@code order[...]} and {@code with=}.
 */
final class ApiRoutes {
    static final String HAL = "application/hal+json";
    private static final int DEFAULT_LIMIT = 50;
    private static final Pattern SINGLE = Pattern.compile("/api/v4/(leads|contacts|companies|tasks)/(\\d+)");
    private static final Pattern NOTES_OF_TYPE = Pattern.compile("/api/v4/(leads|contacts|companies|customers)/notes");
    private static final Pattern NOTES_OF_ONE = Pattern.compile("/api/v4/(leads|contacts|companies|customers)/(\\d+)/notes");
    private static final Pattern FIELDS = Pattern.compile("/api/v4/(leads|contacts|companies|customers|catalogs/\\d+)/custom_fields");
    private static final Pattern TAGS = Pattern.compile("/api/v4/(leads|contacts|companies|customers)/tags");
    private static final Pattern ELEMENTS = Pattern.compile("/api/v4/catalogs/(\\d+)/elements");
    private static final Pattern TRANSACTIONS_OF_ONE = Pattern.compile("/api/v4/customers/(\\d+)/transactions");
    private static final Pattern STATUSES = Pattern.compile("/api/v4/leads/pipelines/(\\d+)/statuses");
    private static final Pattern PIPELINE = Pattern.compile("/api/v4/leads/pipelines/(\\d+)");
    private static final Pattern USER = Pattern.compile("/api/v4/users/(\\d+)");

    private final AccountData data;
    private final Fidelity fidelity;
    private final String baseUrl;
    private final EntityJson json;

    ApiRoutes(AccountData data, String baseUrl, SchemaDrift drift) {
        this.data = data;
        this.fidelity = data.fidelity();
        this.baseUrl = baseUrl;
        this.json = new EntityJson(data, baseUrl, drift);
    }

    /** Serves a GET for the user the token belongs to. */
    HttpResponse handle(HttpRequest req, User user) {
        if (!"GET".equals(req.method())) {
            return Problems.of(405, "Method Not Allowed", "Method " + req.method() + " is not allowed for " + req.path());
        }
        QueryParams q;
        try {
            q = new QueryParams(req.rawQuery());
            return route(req, q, user);
        } catch (QueryParams.BadParam e) {
            return Problems.validation(e.path, e.getMessage());
        } catch (BeyondMaxPage e) {
            // Fidelity.maxPage (reference §3.5, §9.5): past the cap looks like past the end, 204.
            return HttpResponse.noContent();
        }
    }

    /** A page number above {@link Fidelity#maxPage}; answered like an empty page. */
    private static final class BeyondMaxPage extends RuntimeException {
        BeyondMaxPage() {
            super(null, null, false, false);
        }
    }

    private HttpResponse route(HttpRequest req, QueryParams q, User user) {
        String path = req.path();
        Set<String> with = with(q);
        Matcher m;
        if (path.startsWith("/api/v4/users") && !user.isAdmin()
                && (path.equals("/api/v4/users") || fidelity.userByIdAdminOnly)) {
            // The users list is admin-only (reference §2.4), a single user too unless the switch
            // says otherwise; a permission 403 is problem+json, unlike the HTML block page (§5.2).
            return Problems.of(403, "Forbidden", "Access denied: only administrators may list users");
        }
        switch (path) {
            case "/api/v4/account":
                return ok(g -> json.account(g, data.account(), with, user.id()));
            case "/api/v4/leads":
                return leads(req, q, with);
            case "/api/v4/contacts":
                return contacts(req, q, with);
            case "/api/v4/companies":
                return companies(req, q, with);
            case "/api/v4/tasks":
                return tasks(req, q);
            case "/api/v4/events":
                return events(req, q, with);
            case "/api/v4/users":
                return smallList(req, q, "users", data.users(), 250, (g, u) -> json.user(g, u));
            case "/api/v4/leads/pipelines":
                // Not paginated (reference §2.1).
                return ok(g -> {
                    g.writeStartObject();
                    g.writeNumberField("_total_items", data.pipelines().size());
                    links(g, req.path(), null, false, 0, 0);
                    g.writeObjectFieldStart("_embedded");
                    g.writeArrayFieldStart("pipelines");
                    for (var p : data.pipelines()) {
                        json.pipeline(g, p);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                    g.writeEndObject();
                });
            case "/api/v4/leads/loss_reasons":
                return smallList(req, q, "loss_reasons", data.lossReasons(), 250, json::lossReason);
            case "/api/v4/leads/unsorted":
                return unsorted(req, q);
            case "/api/v4/customers":
                return customers(req, q, with);
            case "/api/v4/customers/transactions":
                return transactions(req, q, null);
            case "/api/v4/catalogs":
                return smallList(req, q, "catalogs", data.catalogs(), 250, json::catalog);
            default:
                break;
        }
        if ((m = NOTES_OF_TYPE.matcher(path)).matches()) {
            return notes(req, q, with, m.group(1), null);
        }
        if ((m = NOTES_OF_ONE.matcher(path)).matches()) {
            return notes(req, q, with, m.group(1), Long.parseLong(m.group(2)));
        }
        if ((m = ELEMENTS.matcher(path)).matches()) {
            long catalog = Long.parseLong(m.group(1));
            ListQuery<CatalogElement> lq = query(req, q, e -> true, true);
            int[] pl = pageAndLimit(q, 250);
            PageResult<CatalogElement> page = data.catalogElements(catalog, lq, pl[0], pl[1]);
            return page == null ? notFound(path) : hal(req, "elements", page, pl, json::element);
        }
        if ((m = TRANSACTIONS_OF_ONE.matcher(path)).matches()) {
            return transactions(req, q, Long.parseLong(m.group(1)));
        }
        if ((m = FIELDS.matcher(path)).matches()) {
            // "Up to 50 fields per request" vs a limit of up to 250 (reference §2.1, §9.7): a switch.
            return smallList(req, q, "custom_fields", data.customFields(m.group(1)), fidelity.customFieldsPageMax,
                    json::fieldDef);
        }
        if ((m = TAGS.matcher(path)).matches()) {
            String name = q.first("filter[name]");
            Set<Long> ids = new HashSet<>(q.longs("filter[id]"));
            String query = q.first("query");
            var tags = data.tags(m.group(1)).stream()
                    .filter(t -> name == null || t.name().equals(name))
                    .filter(t -> ids.isEmpty() || ids.contains(t.id()))
                    .filter(t -> query == null || t.name().toLowerCase().contains(query.toLowerCase()))
                    .toList();
            return smallList(req, q, "tags", tags, 250, json::tag);
        }
        if ((m = STATUSES.matcher(path)).matches()) {
            long pid = Long.parseLong(m.group(1));
            var p = data.pipelines().stream().filter(x -> x.id() == pid).findFirst();
            if (p.isEmpty()) {
                return notFound(path);
            }
            return smallList(req, q, "statuses", p.get().statuses(), 250, json::status);
        }
        if ((m = PIPELINE.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            var p = data.pipelines().stream().filter(x -> x.id() == id).findFirst();
            return p.isEmpty() ? missing(path) : ok(g -> json.pipeline(g, p.get()));
        }
        if ((m = USER.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            var u = data.users().stream().filter(x -> x.id() == id).findFirst();
            return u.isEmpty() ? missing(path) : ok(g -> json.user(g, u.get()));
        }
        if ((m = SINGLE.matcher(path)).matches()) {
            return single(path, m.group(1), Long.parseLong(m.group(2)), with);
        }
        return notFound(path);
    }

    private HttpResponse notFound(String path) {
        return Problems.of(404, "Not Found", "Cannot GET " + baseUrl + path);
    }

    /**
     * A single-item GET of a missing or deleted id: 204 with no body as reported (reference §3.3,
     * §7; secondary only), or 404 problem+json under {@link Fidelity#missingIdStatus}.
     */
    private HttpResponse missing(String path) {
        return fidelity.missingIdStatus == 404 ? notFound(path) : HttpResponse.noContent();
    }

    private HttpResponse single(String path, String entity, long id, Set<String> with) {
        ListQuery<Object> byId = new ListQuery<>(OrderKey.ID, false, Long.MIN_VALUE, Long.MAX_VALUE,
                Long.MIN_VALUE, Long.MAX_VALUE, Set.of(id), r -> true);
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<?> found = switch (entity) {
            case "leads" -> data.leads((ListQuery) byId, 1, 1).items();
            case "contacts" -> data.contacts((ListQuery) byId, 1, 1).items();
            case "companies" -> data.companies((ListQuery) byId, 1, 1).items();
            default -> data.tasks((ListQuery) byId, 1, 1).items();
        };
        if (found.isEmpty()) {
            return missing(path);
        }
        Object rec = found.get(0);
        return ok(g -> {
            if (rec instanceof Lead l) {
                json.lead(g, l, with);
            } else if (rec instanceof Contact c) {
                json.contact(g, c, with);
            } else if (rec instanceof Company c) {
                json.company(g, c, with);
            } else {
                json.task(g, (Task) rec);
            }
        });
    }

    // ---- entity lists ----------------------------------------------------------------------

    private HttpResponse leads(HttpRequest req, QueryParams q, Set<String> with) {
        if (with.contains("only_deleted")) {
            // Only deleted leads that can still be restored, as a minimal model (reference §7).
            int[] pl = pageAndLimit(q, 250);
            return hal(req, "leads", data.deletedLeads(pl[0], pl[1]), pl, json::deletedLead);
        }
        boolean filters = fidelity.honourFilters;
        List<Long> pipelines = filters ? q.longs("filter[pipeline_id]") : List.of();
        List<Long> responsible = filters ? q.longs("filter[responsible_user_id]") : List.of();
        List<long[]> statuses = filters ? statusPairs(q) : List.of();
        Predicate<Lead> p = l -> (pipelines.isEmpty() || pipelines.contains(l.pipelineId()))
                && (responsible.isEmpty() || responsible.contains(l.responsibleUserId()))
                && (statuses.isEmpty() || statuses.stream().anyMatch(s -> s[0] == l.pipelineId() && s[1] == l.statusId()));
        ListQuery<Lead> lq = query(req, q, p, filters);
        int[] pl = pageAndLimit(q, 250);
        PageResult<Lead> page = data.leads(lq, pl[0], pl[1]);
        return hal(req, "leads", page, pl, (g, l) -> json.lead(g, l, with));
    }

    /**
     * {@code filter[statuses][N][pipeline_id]} + {@code [status_id]} pairs (reference §4.2). Under
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

    private HttpResponse contacts(HttpRequest req, QueryParams q, Set<String> with) {
        if (with.contains("only_deleted")) {
            // The SDK offers only_deleted on contacts too (reference §7): the leads' minimal model.
            int[] pl = pageAndLimit(q, 250);
            return hal(req, "contacts", data.deletedContacts(pl[0], pl[1]), pl,
                    (g, c) -> json.deletedItem(g, "/api/v4/contacts/", c.id(), c.updatedAt()));
        }
        boolean filters = fidelity.honourFilters;
        List<Long> responsible = filters ? q.longs("filter[responsible_user_id]") : List.of();
        ListQuery<Contact> lq = query(req, q, c -> responsible.isEmpty() || responsible.contains(c.responsibleUserId()), filters);
        int[] pl = pageAndLimit(q, 250);
        return hal(req, "contacts", data.contacts(lq, pl[0], pl[1]), pl, (g, c) -> json.contact(g, c, with));
    }

    private HttpResponse companies(HttpRequest req, QueryParams q, Set<String> with) {
        if (with.contains("only_deleted")) {
            // Deleted companies still in the bin (reference §3.4, §7), as the leads' minimal model.
            int[] pl = pageAndLimit(q, 250);
            return hal(req, "companies", data.deletedCompanies(pl[0], pl[1]), pl,
                    (g, c) -> json.deletedItem(g, "/api/v4/companies/", c.id(), c.updatedAt()));
        }
        boolean filters = fidelity.honourFilters;
        List<Long> responsible = filters ? q.longs("filter[responsible_user_id]") : List.of();
        ListQuery<Company> lq = query(req, q, c -> responsible.isEmpty() || responsible.contains(c.responsibleUserId()), filters);
        int[] pl = pageAndLimit(q, 250);
        return hal(req, "companies", data.companies(lq, pl[0], pl[1]), pl, (g, c) -> json.company(g, c, with));
    }

    /** Unsorted (reference §2.4): filter[uid], filter[category][], filter[pipeline_id]; cursor created_at. */
    private HttpResponse unsorted(HttpRequest req, QueryParams q) {
        Set<String> uids = new HashSet<>(q.multi("filter[uid]", true));
        Set<String> categories = new HashSet<>(q.multi("filter[category]", true));
        List<Long> pipelines = q.longs("filter[pipeline_id]");
        ListQuery<Unsorted> lq = query(req, q, u -> (uids.isEmpty() || uids.contains(u.uid()))
                && (categories.isEmpty() || categories.contains(u.category()))
                && (pipelines.isEmpty() || pipelines.contains(u.pipelineId())), true);
        int[] pl = pageAndLimit(q, 250);
        return hal(req, "unsorted", data.unsorted(lq, pl[0], pl[1]), pl, json::unsorted);
    }

    private HttpResponse customers(HttpRequest req, QueryParams q, Set<String> with) {
        boolean filters = fidelity.honourFilters;
        ListQuery<Customer> lq = query(req, q, c -> true, filters);
        int[] pl = pageAndLimit(q, 250);
        return hal(req, "customers", data.customers(lq, pl[0], pl[1]), pl, (g, c) -> json.customer(g, c, with));
    }

    private HttpResponse transactions(HttpRequest req, QueryParams q, Long customerId) {
        List<Long> customers = customerId != null ? List.of(customerId) : q.longs("filter[customer_id]");
        ListQuery<CustomerTransaction> lq = query(req, q, t -> customers.isEmpty() || customers.contains(t.customerId()), true);
        int[] pl = pageAndLimit(q, 250);
        return hal(req, "transactions", data.transactions(lq, pl[0], pl[1]), pl, json::transaction);
    }

    private HttpResponse tasks(HttpRequest req, QueryParams q) {
        String completed = q.first("filter[is_completed]");
        List<Long> types = q.longs("filter[task_type]");
        List<Long> entityIds = q.longs("filter[entity_id]");
        String entityType = q.first("filter[entity_type]");
        List<Long> responsible = q.longs("filter[responsible_user_id]");
        Predicate<Task> p = t -> (completed == null || t.isCompleted() == ("1".equals(completed) || "true".equals(completed)))
                && (types.isEmpty() || types.contains(t.taskTypeId()))
                && (entityIds.isEmpty() || (t.entityId() != null && entityIds.contains(t.entityId())))
                && (entityType == null || entityType.equals(t.entityType()))
                && (responsible.isEmpty() || responsible.contains(t.responsibleUserId()));
        ListQuery<Task> lq = query(req, q, p, true);
        int[] pl = pageAndLimit(q, 250);
        return hal(req, "tasks", data.tasks(lq, pl[0], pl[1]), pl, json::task);
    }

    private HttpResponse notes(HttpRequest req, QueryParams q, Set<String> with, String entityType, Long entityId) {
        Set<String> types = new HashSet<>(q.multi("filter[note_type]", true));
        List<Long> entityIds = entityId != null ? List.of(entityId) : q.longs("filter[entity_id]");
        Predicate<Note> p = n -> (types.isEmpty() || types.contains(n.noteType()))
                && (entityIds.isEmpty() || entityIds.contains(n.entityId()));
        ListQuery<Note> lq = query(req, q, p, true);
        int[] pl = pageAndLimit(q, 250);
        return hal(req, "notes", data.notes(entityType, lq, pl[0], pl[1]), pl, (g, n) -> json.note(g, n, with));
    }

    private HttpResponse events(HttpRequest req, QueryParams q, Set<String> with) {
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        // filter[created_at] is a [from]/[to] range, or the older comma form "from,to", or one
        // timestamp meaning "created after it" (reference §4.3, §9.11-ish contradiction).
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
        from = f == null ? from : fromBound(f);
        to = t == null ? to : toBound(t);
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
        int[] pl = pageAndLimit(q, fidelity.eventsPageMax);
        PageResult<Event> page = data.events(from, to, p, pl[0], pl[1]);
        return hal(req, "events", page, pl, (g, e) -> json.event(g, e, with, entityName(e, with)));
    }

    private String entityName(Event e, Set<String> with) {
        String wanted = e.entityType() + "_name";
        if (!with.contains(wanted)) {
            return null;
        }
        ListQuery<Object> byId = new ListQuery<>(OrderKey.ID, false, Long.MIN_VALUE, Long.MAX_VALUE,
                Long.MIN_VALUE, Long.MAX_VALUE, Set.of(e.entityId()), r -> true);
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

    // ---- shared parameter handling ---------------------------------------------------------

    private static Set<String> with(QueryParams q) {
        Set<String> out = new LinkedHashSet<>();
        String w = q.first("with");
        if (w != null) {
            for (String part : w.split(",")) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /**
     * page and limit: a missing or invalid limit falls back to 50, a larger one is capped at the
     * endpoint's maximum (reference §3.1). A page above {@link Fidelity#maxPage} ends the request
     * with 204 (§3.5, §9.5).
     */
    private int[] pageAndLimit(QueryParams q, int max) {
        int page = 1;
        int limit = DEFAULT_LIMIT;
        try {
            String p = q.first("page");
            if (p != null) {
                page = Math.max(1, Integer.parseInt(p.trim()));
            }
        } catch (NumberFormatException e) {
            page = 1;
        }
        try {
            String l = q.first("limit");
            if (l != null) {
                int v = Integer.parseInt(l.trim());
                limit = v <= 0 ? DEFAULT_LIMIT : Math.min(v, max);
            }
        } catch (NumberFormatException e) {
            limit = DEFAULT_LIMIT;
        }
        int cap = fidelity.maxPage;
        if (cap > 0 && page > cap) {
            throw new BeyondMaxPage();
        }
        return new int[] {page, Math.min(limit, max)};
    }

    /**
     * The ordering, time ranges and ids common to entity lists. With {@code filtersHonoured}
     * false (the account's API filters are off, reference §4.2) every filter[...] is ignored.
     */
    private <T> ListQuery<T> query(HttpRequest req, QueryParams q, Predicate<T> extra, boolean filtersHonoured) {
        OrderKey order = OrderKey.ID;
        boolean desc = false;
        for (OrderKey k : OrderKey.values()) {
            String v = q.first("order[" + k.name().toLowerCase() + "]");
            if (v != null) {
                if (!v.equals("asc") && !v.equals("desc")) {
                    throw new QueryParams.BadParam("order[" + k.name().toLowerCase() + "]", "must be asc or desc");
                }
                order = k;
                desc = v.equals("desc");
                break;
            }
        }
        long createdFrom = Long.MIN_VALUE;
        long createdTo = Long.MAX_VALUE;
        long updatedFrom = Long.MIN_VALUE;
        long updatedTo = Long.MAX_VALUE;
        Set<Long> ids = null;
        if (filtersHonoured) {
            createdFrom = fromBound(q.longParam("filter[created_at][from]"));
            createdTo = toBound(q.longParam("filter[created_at][to]"));
            updatedFrom = fromBound(q.longParam("filter[updated_at][from]"));
            updatedTo = toBound(q.longParam("filter[updated_at][to]"));
            List<Long> idList = q.longs("filter[id]");
            ids = idList.isEmpty() ? null : new HashSet<>(idList);
        } else {
            extra = r -> true;
        }
        // If-Modified-Since (reference §3.5): only entities changed after that instant.
        String ims = req.header("if-modified-since");
        if (ims != null) {
            try {
                long since = ZonedDateTime.parse(ims, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
                updatedFrom = Math.max(updatedFrom, since + 1);
            } catch (DateTimeParseException e) {
                throw new QueryParams.BadParam("If-Modified-Since", "not an HTTP date: " + ims);
            }
        }
        return new ListQuery<>(order, desc, createdFrom, createdTo, updatedFrom, updatedTo, ids, extra);
    }

    /** The inclusive lower bound a {@code [from]} value means under the inclusivity switch. */
    private long fromBound(Long v) {
        return v == null ? Long.MIN_VALUE : fidelity.fromInclusive ? v : v + 1;
    }

    /** The inclusive upper bound a {@code [to]} value means under the inclusivity switch. */
    private long toBound(Long v) {
        return v == null ? Long.MAX_VALUE : fidelity.toInclusive ? v : v - 1;
    }

    // ---- envelopes -------------------------------------------------------------------------

    interface ItemWriter<T> {
        void write(JsonGenerator g, T item) throws IOException;
    }

    private HttpResponse ok(Problems.Body body) {
        return new HttpResponse(200, HAL, Json.write(body));
    }

    private <T> HttpResponse hal(HttpRequest req, String name, PageResult<T> page, int[] pl, ItemWriter<T> writer) {
        if (page.items().isEmpty()) {
            return HttpResponse.noContent();
        }
        return ok(g -> {
            g.writeStartObject();
            g.writeNumberField("_page", pl[0]);
            links(g, req.path(), req.rawQuery(), page.hasNext(), pl[0], pl[1]);
            g.writeObjectFieldStart("_embedded");
            g.writeArrayFieldStart(name);
            for (T item : page.items()) {
                writer.write(g, item);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** Lists that are small enough to count: they also carry _total_items and _page_count. */
    private <T> HttpResponse smallList(HttpRequest req, QueryParams q, String name, List<T> all, int max,
                                       ItemWriter<T> writer) {
        int[] pl = pageAndLimit(q, max);
        int start = (int) Math.min(all.size(), (long) (pl[0] - 1) * pl[1]);
        int end = Math.min(all.size(), start + pl[1]);
        if (start >= end) {
            return HttpResponse.noContent();
        }
        int pageCount = (all.size() + pl[1] - 1) / pl[1];
        return ok(g -> {
            g.writeStartObject();
            g.writeNumberField("_total_items", all.size());
            g.writeNumberField("_page", pl[0]);
            g.writeNumberField("_page_count", pageCount);
            links(g, req.path(), req.rawQuery(), end < all.size(), pl[0], pl[1]);
            g.writeObjectFieldStart("_embedded");
            g.writeArrayFieldStart(name);
            for (T item : all.subList(start, end)) {
                writer.write(g, item);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private void links(JsonGenerator g, String path, String rawQuery, boolean hasNext, int page, int limit)
            throws IOException {
        g.writeObjectFieldStart("_links");
        g.writeObjectFieldStart("self");
        g.writeStringField("href", page == 0 ? baseUrl + path : pageHref(path, rawQuery, page, limit));
        g.writeEndObject();
        if (hasNext) {
            g.writeObjectFieldStart("next");
            g.writeStringField("href", pageHref(path, rawQuery, page + 1, limit));
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The request's own query with page and limit replaced; other parameters keep their order. */
    private String pageHref(String path, String rawQuery, int page, int limit) {
        StringBuilder sb = new StringBuilder(baseUrl).append(path).append('?');
        for (Map.Entry<String, String> e : new QueryParams(rawQuery).entries()) {
            if (e.getKey().equals("page") || e.getKey().equals("limit")) {
                continue;
            }
            sb.append(enc(e.getKey())).append('=').append(enc(e.getValue())).append('&');
        }
        return sb.append("page=").append(page).append("&limit=").append(limit).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]");
    }
}
