package io.amocrmetl.source;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One unit of reading, planned on the driver and carried to an executor inside a partition:
 * an endpoint, how to page it, the cursor window it owns, and the API parameters pushed down.
 * Small and serializable: numbers and strings only (docs/spark-and-delta.md).
 *
 * @param path the list path, e.g. {@code /api/v4/leads/notes}
 * @param context values of context columns (notes' entity_type, catalog_id)
 * @param mode how the endpoint is paged
 * @param from the first cursor second this task owns (inclusive), or null for no lower bound
 * @param to the last cursor second it owns (inclusive), or null for no upper bound (an open read)
 * @param params API parameters pushed down (filter[note_type][], with=, ...), as key/value pairs
 * @param checks for each pushed "IN" filter: the field and the values every item must carry
 * @param ids for {@link Mode#IDS}: the ids to fetch by {@code filter[id][]}
 */
public record ReadTask(
        String path,
        Map<String, String> context,
        Mode mode,
        Long from,
        Long to,
        List<String[]> params,
        Map<String, List<String>> checks,
        List<String> ids)
        implements Serializable {

    /** How a task pages its endpoint. */
    public enum Mode {
        /**
         * {@code order[<cursor>]=asc} with the lower bound moved to the last second seen
         * ({@code filter[<cursor>][from]}), page 1 every time: rows that move during the read can
         * never shift a page (leads, contacts, companies, unsorted; docs/amocrm-api.md §4.1).
         */
        KEYSET,
        /** As KEYSET, with {@code If-Modified-Since} as the lower bound: API filters are off (docs/amocrm-api.md §3.5, §4.2). */
        KEYSET_IMS,
        /**
         * Page numbers over the cursor window, for lists the API cannot order by the cursor (tasks,
         * notes, events, ...); a window read in more than one page is checked afterwards and read
         * again if a row it had seen changed meanwhile.
         */
        PAGED,
        /** {@code filter[id][]} in batches. */
        IDS,
        /** A whole list by its next links (reference data). */
        LIST,
        /** One object ({@code /api/v4/account}). */
        OBJECT
    }

    public ReadTask {
        context = Map.copyOf(context);
        params = List.copyOf(params);
        checks = Map.copyOf(checks);
        ids = ids == null ? List.of() : List.copyOf(ids);
    }

    /** "leads [1700000000, 1700003600] keyset": for logs and EXPLAIN. */
    String describe() {
        return path + (context.isEmpty() ? "" : " " + context) + " "
                + mode.name().toLowerCase()
                + (from != null || to != null
                        ? " [" + (from == null ? "-∞" : from) + ", " + (to == null ? "open" : to) + "]"
                        : "")
                + (ids.isEmpty() ? "" : " " + ids.size() + " ids");
    }

    @Override
    public String toString() {
        return "ReadTask[" + describe() + "]";
    }
}
