package io.amocrmetl.sandbox.http;

import io.amocrmetl.sandbox.data.EntityTable.OrderKey;
import io.amocrmetl.sandbox.data.Fidelity;
import io.amocrmetl.sandbox.data.ListQuery;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The query parameters every list shares: {@code with=}, {@code page} and {@code limit},
 * {@code order[...]}, the created/updated ranges, {@code filter[id]} and If-Modified-Since, read
 * under the fidelity switches for bounds, filters and the page cap.
 */
final class ListParams {
    private static final int DEFAULT_LIMIT = 50;

    private final Fidelity fidelity;

    ListParams(Fidelity fidelity) {
        this.fidelity = fidelity;
    }

    /** A page number above {@link Fidelity#maxPage}; answered like an empty page. */
    static final class BeyondMaxPage extends RuntimeException {
        BeyondMaxPage() {
            super(null, null, false, false);
        }
    }

    static Set<String> with(QueryParams q) {
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
     * endpoint's maximum (docs/amocrm-api.md §3.1). A page above {@link Fidelity#maxPage} ends the request
     * with 204 (§3.5, §9.5).
     */
    int[] pageAndLimit(QueryParams q, int max) {
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
     * false (the account's API filters are off, docs/amocrm-api.md §4.2) every filter[...] is ignored.
     */
    <T> ListQuery<T> query(HttpRequest req, QueryParams q, Predicate<T> extra, boolean filtersHonoured) {
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
        // If-Modified-Since (docs/amocrm-api.md §3.5): only entities changed after that instant.
        String ims = req.header("if-modified-since");
        if (ims != null) {
            try {
                long since = ZonedDateTime.parse(ims, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toEpochSecond();
                updatedFrom = Math.max(updatedFrom, since + 1);
            } catch (DateTimeParseException e) {
                throw new QueryParams.BadParam("If-Modified-Since", "not an HTTP date: " + ims);
            }
        }
        return new ListQuery<>(order, desc, createdFrom, createdTo, updatedFrom, updatedTo, ids, extra);
    }

    /** The inclusive lower bound a {@code [from]} value means under the inclusivity switch. */
    long fromBound(Long v) {
        return v == null ? Long.MIN_VALUE : fidelity.fromInclusive ? v : v + 1;
    }

    /** The inclusive upper bound a {@code [to]} value means under the inclusivity switch. */
    long toBound(Long v) {
        return v == null ? Long.MAX_VALUE : fidelity.toInclusive ? v : v - 1;
    }
}
