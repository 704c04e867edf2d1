package io.amocrmetl.doctor;

import static io.amocrmetl.doctor.ProbeRequests.number;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.state.AccountProbes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code doctor --probe}: read-only tests of what docs/amocrm-api.md leaves unverified or
 * contradictory (its §9), on the account itself, within {@value #BUDGET} requests. Each finding
 * is judged from data the account already has; where it has none (no leads, no recent link), the
 * finding stays unknown rather than guessed.
 * <ul>
 *   <li>filters: the newest lead's second {@code u}, then leads with {@code updated_at ≤ u−1}: an
 *   item at {@code u} means the filter was ignored (§4.2, §9.9);</li>
 *   <li>bounds: one-row requests on second {@code u}: {@code [u,u]} returns it only if both bounds
 *   include it, {@code [u−1,u]} only if [to] does, {@code [u,u+1]} only if [from] does;</li>
 *   <li>ties: a second that several of the latest leads share, read with
 *   {@code order[updated_at]=asc}: are its ids ascending or descending;</li>
 *   <li>the events page: a page asked for 250 that still has a next link holds the cap (§9.6);</li>
 *   <li>link and restore bumps: for the latest {@code entity_linked} / {@code *_restored} events,
 *   the entity's {@code updated_at} against the event's second: equal means it moved, earlier
 *   means it did not, later proves nothing (it changed again since).</li>
 * </ul>
 */
final class Probes {
    static final int BUDGET = 20;
    private static final String LEADS_PATH = Entities.get(Tables.LEADS).path();
    private static final String EVENTS_PATH = Entities.get(Tables.EVENTS).path();
    /** How far back events are searched for links and restores. */
    static final long RECENT_SECONDS = 30L * 86_400;

    static final List<String> LINK_TYPES = List.of(
            "entity_linked",
            "entity_unlinked",
            "lead_linked",
            "lead_unlinked",
            "contact_linked",
            "contact_unlinked",
            "company_linked",
            "company_unlinked");
    static final List<String> RESTORE_TYPES = List.of("lead_restored", "contact_restored", "company_restored");
    /** At most this many entities are read per kind of event. */
    static final int ENTITY_CHECKS = 3;

    private final ProbeRequests requests;
    private final Consumer<Check> report;

    Probes(AmoClient client, Consumer<Check> report) {
        this.requests = new ProbeRequests(client, BUDGET);
        this.report = report;
    }

    int requests() {
        return requests.spent();
    }

    AccountProbes run(Boolean apiFilterFlag, Instant now) {
        Boolean honoured = null;
        Boolean from = null;
        Boolean to = null;
        String ties = null;
        Integer eventsPage = null;
        Boolean[] bumps = {null, null};
        try {
            List<Map<String, String>> newest = requests.list(
                            LEADS_PATH, Tables.LEADS, 1, Map.of("order[updated_at]", "desc"), null)
                    .items();
            Long u = newest.isEmpty() ? null : number(newest.get(0), Columns.UPDATED_AT);
            if (u == null) {
                report.accept(Check.probe(
                        "filters", "unknown: the account has no leads to test filters, bounds and ties on"));
            } else {
                honoured = filtersHonoured(u);
                report.accept(Check.probe(
                        "filters",
                        honoured
                                ? "honoured: filter[updated_at] narrowed the list"
                                : "ignored: filter[updated_at] did not narrow the list"
                                        + (Boolean.TRUE.equals(apiFilterFlag)
                                                ? ", though is_api_filter_enabled is true"
                                                : "")
                                        + "; incremental reads use If-Modified-Since"));
                if (honoured) {
                    Boolean[] b = bounds(u);
                    from = b[0];
                    to = b[1];
                    report.accept(Check.probe(
                            "bounds",
                            "filter[...][from] is " + (from ? "inclusive" : "exclusive") + ", [to] is "
                                    + (to ? "inclusive" : "exclusive")));
                } else {
                    report.accept(Check.probe("bounds", "not tested: the filters are ignored"));
                }
                ties = ties(honoured);
            }
            eventsPage = eventsPage();
            bumps = bumps(now);
        } catch (ProbeRequests.OutOfBudget e) {
            report.accept(Check.probe(
                    "budget", "the probe's " + BUDGET + " requests are spent; findings not reached stay " + "unknown"));
        }
        return new AccountProbes(
                now, apiFilterFlag, honoured, from, to, ties, eventsPage, bumps[0], bumps[1], requests.spent());
    }

    private boolean filtersHonoured(long u) {
        List<Map<String, String>> older = requests.list(
                        LEADS_PATH,
                        Tables.LEADS,
                        5,
                        Map.of("order[updated_at]", "desc", "filter[updated_at][to]", String.valueOf(u - 1)),
                        null)
                .items();
        for (Map<String, String> item : older) {
            Long x = number(item, Columns.UPDATED_AT);
            if (x != null && x >= u) {
                return false;
            }
        }
        return true;
    }

    /** {from inclusive, to inclusive}, learnt on second {@code u}, which has a row. */
    private Boolean[] bounds(long u) {
        if (rowAt(u, u, u)) {
            return new Boolean[] {true, true};
        }
        boolean to = rowAt(u - 1, u, u);
        boolean from = !to && rowAt(u, u + 1, u);
        return new Boolean[] {from, to};
    }

    /** Whether leads with updated_at in [lo, hi] as sent include one at second {@code x} (newest first). */
    private boolean rowAt(long lo, long hi, long x) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("order[updated_at]", "desc");
        q.put("filter[updated_at][from]", String.valueOf(lo));
        q.put("filter[updated_at][to]", String.valueOf(hi));
        for (Map<String, String> item :
                requests.list(LEADS_PATH, Tables.LEADS, 1, q, null).items()) {
            if (Long.valueOf(x).equals(number(item, Columns.UPDATED_AT))) {
                return true;
            }
        }
        return false;
    }

    private String ties(boolean honoured) {
        List<Map<String, String>> latest = requests.list(
                        LEADS_PATH, Tables.LEADS, 250, Map.of("order[updated_at]", "desc"), null)
                .items();
        Map<Long, Integer> perSecond = new HashMap<>();
        Long shared = null;
        for (Map<String, String> item : latest) {
            Long t = number(item, Columns.UPDATED_AT);
            if (t != null && perSecond.merge(t, 1, Integer::sum) == 2 && (shared == null || t > shared)) {
                shared = t;
            }
        }
        if (shared == null) {
            report.accept(
                    Check.probe("ties", "unknown: no two of the " + latest.size() + " latest leads share a second"));
            return null;
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("order[updated_at]", "asc");
        if (honoured) {
            q.put("filter[updated_at][from]", String.valueOf(shared - 1));
            q.put("filter[updated_at][to]", String.valueOf(shared + 1));
        }
        List<Long> ids = new ArrayList<>();
        Long since = honoured ? null : shared - 1;
        for (Map<String, String> item :
                requests.list(LEADS_PATH, Tables.LEADS, 250, q, since).items()) {
            if (shared.equals(number(item, Columns.UPDATED_AT)) && number(item, "id") != null) {
                ids.add(number(item, "id"));
            }
        }
        if (ids.size() < 2) {
            report.accept(Check.probe("ties", "unknown: second " + shared + " did not come back whole"));
            return null;
        }
        boolean asc = true;
        boolean desc = true;
        for (int i = 1; i < ids.size(); i++) {
            asc &= ids.get(i) > ids.get(i - 1);
            desc &= ids.get(i) < ids.get(i - 1);
        }
        String found = asc ? AccountProbes.TIES_ID_ASC : desc ? AccountProbes.TIES_ID_DESC : AccountProbes.TIES_OTHER;
        report.accept(Check.probe(
                "ties",
                ids.size() + " leads of one second come "
                        + (asc ? "by id ascending" : desc ? "by id descending" : "in no id order")
                        + " under order[updated_at]=asc"));
        return found;
    }

    private Integer eventsPage() {
        ProbeRequests.Page p = requests.list(EVENTS_PATH, Tables.EVENTS, 250, Map.of(), null);
        int n = p.items().size();
        Integer cap = p.next() != null && (n == 100 || n == 250)
                ? Integer.valueOf(n)
                : p.next() == null && n > 100 ? 250 : null;
        report.accept(Check.probe(
                "events-page",
                cap != null
                        ? cap + " events a page"
                                + (cap == 250
                                        ? " (Kommo's reading); events are read 250 at a time"
                                        : " (the RU docs' reading)")
                        : "unknown: asked for 250, got " + n
                                + (p.next() == null ? " and no next page (too few events to tell)" : "")));
        return cap;
    }

    /** {links bump updated_at, restores bump updated_at}, from the latest such events. */
    private Boolean[] bumps(Instant now) {
        List<String> types = new ArrayList<>(LINK_TYPES);
        types.addAll(RESTORE_TYPES);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("filter[type]", String.join(",", types));
        q.put("filter[created_at][from]", String.valueOf(now.getEpochSecond() - RECENT_SECONDS));
        List<Map<String, String>> events =
                requests.list(EVENTS_PATH, Tables.EVENTS, 100, q, null).items();
        Boolean link = bump("link-bumps", "linking", events, LINK_TYPES);
        Boolean restore = bump("restore-bumps", "a restore", events, RESTORE_TYPES);
        return new Boolean[] {link, restore};
    }

    private Boolean bump(String name, String what, List<Map<String, String>> events, List<String> types) {
        int checked = 0;
        for (int i = events.size() - 1; i >= 0 && checked < ENTITY_CHECKS; i--) {
            Map<String, String> e = events.get(i);
            // The entities read by keyset (leads, contacts, companies) are the ones whose bumps matter.
            String path = EntityFacts.bySingular(String.valueOf(e.get(Columns.ENTITY_TYPE)))
                    .map(Entities::get)
                    .filter(EntitySpec::keyset)
                    .map(s -> s.path() + "/")
                    .orElse(null);
            Long id = number(e, Columns.ENTITY_ID);
            Long at = number(e, Columns.CREATED_AT);
            if (!types.contains(e.get("type")) || path == null || id == null || at == null) {
                continue;
            }
            checked++;
            JsonNode entity = requests.object(path + id);
            if (entity == null || !entity.path(Columns.UPDATED_AT).isNumber()) {
                continue; // deleted since
            }
            long updated = entity.get(Columns.UPDATED_AT).asLong();
            if (updated == at) {
                report.accept(Check.probe(
                        name,
                        "yes: " + what + " moved updated_at (" + e.get(Columns.ENTITY_TYPE) + " " + id
                                + " was updated in the second of its " + e.get("type") + " event)"));
                return true;
            }
            if (updated < at) {
                report.accept(Check.probe(
                        name,
                        "no: " + what + " left updated_at alone (" + e.get(Columns.ENTITY_TYPE) + " " + id
                                + " was last updated before its " + e.get("type") + " event)"));
                return false;
            }
        }
        report.accept(Check.probe(
                name,
                checked == 0
                        ? "unknown: no such event in the last 30 days"
                        : "unknown: the entities changed again since"));
        return null;
    }
}
