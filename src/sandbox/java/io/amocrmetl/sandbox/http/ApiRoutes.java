package io.amocrmetl.sandbox.http;

import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.EntityTable.OrderKey;
import io.amocrmetl.sandbox.data.Fidelity;
import io.amocrmetl.sandbox.data.ListQuery;
import io.amocrmetl.sandbox.data.PageResult;
import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.User;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The amoCRM API v4 read endpoints (docs/amocrm-api.md §2, §3, §4): HAL lists with {@code _page},
 * {@code _links} and {@code _embedded}; {@code page} + {@code limit}; 204 with no body for an
 * empty page; the documented filters, {@code order[...]} and {@code with=}.
 */
final class ApiRoutes {
    private static final Pattern SINGLE = Pattern.compile("/api/v4/(leads|contacts|companies|tasks)/(\\d+)");
    private static final Pattern NOTES_OF_TYPE = Pattern.compile("/api/v4/(leads|contacts|companies|customers)/notes");
    private static final Pattern NOTES_OF_ONE =
            Pattern.compile("/api/v4/(leads|contacts|companies|customers)/(\\d+)/notes");
    private static final Pattern FIELDS =
            Pattern.compile("/api/v4/(leads|contacts|companies|customers|catalogs/\\d+)/custom_fields");
    private static final Pattern TAGS = Pattern.compile("/api/v4/(leads|contacts|companies|customers)/tags");
    private static final Pattern ELEMENTS = Pattern.compile("/api/v4/catalogs/(\\d+)/elements");
    private static final Pattern TRANSACTIONS_OF_ONE = Pattern.compile("/api/v4/customers/(\\d+)/transactions");
    private static final Pattern STATUSES = Pattern.compile("/api/v4/leads/pipelines/(\\d+)/statuses");
    private static final Pattern PIPELINE = Pattern.compile("/api/v4/leads/pipelines/(\\d+)");
    private static final Pattern USER = Pattern.compile("/api/v4/users/(\\d+)");

    private final AccountData data;
    private final Fidelity fidelity;
    private final String baseUrl;
    private final ListParams params;
    private final HalEnvelopes envelopes;
    private final EntityJson json;
    private final SettingsJson settingsJson;
    private final CustomerJson customerJson;
    private final EntityLists lists;

    ApiRoutes(AccountData data, String baseUrl, SchemaDrift drift) {
        this.data = data;
        this.fidelity = data.fidelity();
        this.baseUrl = baseUrl;
        JsonParts parts = new JsonParts(baseUrl, drift);
        this.settingsJson = new SettingsJson(data, parts);
        this.json = new EntityJson(data, parts, settingsJson);
        this.customerJson = new CustomerJson(data, parts);
        this.params = new ListParams(fidelity);
        this.envelopes = new HalEnvelopes(baseUrl, params);
        this.lists = new EntityLists(data, params, envelopes, json, customerJson);
    }

    /** Serves a GET for the user the token belongs to. */
    HttpResponse handle(HttpRequest req, User user) {
        if (!"GET".equals(req.method())) {
            return Problems.of(
                    405, "Method Not Allowed", "Method " + req.method() + " is not allowed for " + req.path());
        }
        QueryParams q;
        try {
            q = new QueryParams(req.rawQuery());
            return route(req, q, user);
        } catch (QueryParams.BadParam e) {
            return Problems.validation(e.path, e.getMessage());
        } catch (ListParams.BeyondMaxPage e) {
            // Fidelity.maxPage (docs/amocrm-api.md §3.5, §9.5): past the cap looks like past the end, 204.
            return HttpResponse.noContent();
        }
    }

    private HttpResponse route(HttpRequest req, QueryParams q, User user) {
        String path = req.path();
        Set<String> with = ListParams.with(q);
        Matcher m;
        if (path.startsWith("/api/v4/users")
                && !user.isAdmin()
                && (path.equals("/api/v4/users") || fidelity.userByIdAdminOnly)) {
            // The users list is admin-only (docs/amocrm-api.md §2.4), a single user too unless the switch
            // says otherwise; a permission 403 is problem+json, unlike the HTML block page (§5.2).
            return Problems.of(403, "Forbidden", "Access denied: only administrators may list users");
        }
        switch (path) {
            case "/api/v4/account":
                return envelopes.ok(g -> settingsJson.account(g, data.account(), with, user.id()));
            case "/api/v4/leads":
                return lists.leads(req, q, with);
            case "/api/v4/contacts":
                return lists.contacts(req, q, with);
            case "/api/v4/companies":
                return lists.companies(req, q, with);
            case "/api/v4/tasks":
                return lists.tasks(req, q);
            case "/api/v4/events":
                return lists.events(req, q, with);
            case "/api/v4/users":
                return envelopes.smallList(req, q, "users", data.users(), 250, (g, u) -> settingsJson.user(g, u));
            case "/api/v4/leads/pipelines":
                // Not paginated (docs/amocrm-api.md §2.1).
                return envelopes.ok(g -> {
                    g.writeStartObject();
                    g.writeNumberField("_total_items", data.pipelines().size());
                    envelopes.links(g, req.path(), null, false, 0, 0);
                    g.writeObjectFieldStart("_embedded");
                    g.writeArrayFieldStart("pipelines");
                    for (var p : data.pipelines()) {
                        settingsJson.pipeline(g, p);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                    g.writeEndObject();
                });
            case "/api/v4/leads/loss_reasons":
                return envelopes.smallList(req, q, "loss_reasons", data.lossReasons(), 250, settingsJson::lossReason);
            case "/api/v4/leads/unsorted":
                return lists.unsorted(req, q);
            case "/api/v4/customers":
                return lists.customers(req, q, with);
            case "/api/v4/customers/transactions":
                return lists.transactions(req, q, null);
            case "/api/v4/catalogs":
                return envelopes.smallList(req, q, "catalogs", data.catalogs(), 250, customerJson::catalog);
            default:
                break;
        }
        if ((m = NOTES_OF_TYPE.matcher(path)).matches()) {
            return lists.notes(req, q, with, m.group(1), null);
        }
        if ((m = NOTES_OF_ONE.matcher(path)).matches()) {
            return lists.notes(req, q, with, m.group(1), Long.parseLong(m.group(2)));
        }
        if ((m = ELEMENTS.matcher(path)).matches()) {
            long catalog = Long.parseLong(m.group(1));
            ListQuery<CatalogElement> lq = params.query(req, q, e -> true, true);
            int[] pl = params.pageAndLimit(q, 250);
            PageResult<CatalogElement> page = data.catalogElements(catalog, lq, pl[0], pl[1]);
            return page == null ? notFound(path) : envelopes.hal(req, "elements", page, pl, customerJson::element);
        }
        if ((m = TRANSACTIONS_OF_ONE.matcher(path)).matches()) {
            return lists.transactions(req, q, Long.parseLong(m.group(1)));
        }
        if ((m = FIELDS.matcher(path)).matches()) {
            // "Up to 50 fields per request" vs a limit of up to 250 (docs/amocrm-api.md §2.1, §9.7): a switch.
            return envelopes.smallList(
                    req,
                    q,
                    "custom_fields",
                    data.customFields(m.group(1)),
                    fidelity.customFieldsPageMax,
                    settingsJson::fieldDef);
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
            return envelopes.smallList(req, q, "tags", tags, 250, settingsJson::tag);
        }
        if ((m = STATUSES.matcher(path)).matches()) {
            long pid = Long.parseLong(m.group(1));
            var p = data.pipelines().stream().filter(x -> x.id() == pid).findFirst();
            if (p.isEmpty()) {
                return notFound(path);
            }
            return envelopes.smallList(req, q, "statuses", p.get().statuses(), 250, settingsJson::status);
        }
        if ((m = PIPELINE.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            var p = data.pipelines().stream().filter(x -> x.id() == id).findFirst();
            return p.isEmpty() ? missing(path) : envelopes.ok(g -> settingsJson.pipeline(g, p.get()));
        }
        if ((m = USER.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            var u = data.users().stream().filter(x -> x.id() == id).findFirst();
            return u.isEmpty() ? missing(path) : envelopes.ok(g -> settingsJson.user(g, u.get()));
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
     * A single-item GET of a missing or deleted id: 204 with no body as reported (docs/amocrm-api.md §3.3,
     * §7; secondary only), or 404 problem+json under {@link Fidelity#missingIdStatus}.
     */
    private HttpResponse missing(String path) {
        return fidelity.missingIdStatus == 404 ? notFound(path) : HttpResponse.noContent();
    }

    private HttpResponse single(String path, String entity, long id, Set<String> with) {
        ListQuery<Object> byId = new ListQuery<>(
                OrderKey.ID,
                false,
                Long.MIN_VALUE,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                Long.MAX_VALUE,
                Set.of(id),
                r -> true);
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
        return envelopes.ok(g -> {
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
}
