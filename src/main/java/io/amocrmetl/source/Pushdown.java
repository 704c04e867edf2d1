package io.amocrmetl.source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a read pushes to the API, Spark-free: cursor bounds, a created_at range, ids, "IN" filters
 * the API applies exactly, and the entity types whose endpoints to read. Built from the options
 * ({@link #of}) and from Spark's predicates ({@link FilterTranslator}); every predicate also goes
 * back to Spark, which re-checks it, so a bound the API treats differently can never leak a row.
 */
final class Pushdown {
    Long from;
    Long to;
    Long createdFrom;
    Long createdTo;
    List<String> ids;
    final Map<String, List<String>> in = new LinkedHashMap<>();
    Set<String> entityTypes;
    /** Human-readable, for EXPLAIN ("PushedToApi"). */
    final List<String> described = new ArrayList<>();

    /** The bounds, ids and entity types given as options ({@code from}, {@code to}, {@code ids}, {@code entity_types}). */
    static Pushdown of(ReadConf conf) {
        Pushdown p = new Pushdown();
        Long from = conf.from();
        Long to = conf.to();
        if (from != null || to != null) {
            p.cursor(from, to);
            p.described.add(conf.spec().cursor().field + " in [" + (from == null ? "-∞" : from) + ", "
                    + (to == null ? "open" : to) + "]");
        }
        List<String> ids = conf.ids();
        if (!ids.isEmpty()) {
            p.ids(ids);
            p.described.add("id IN " + ids.size() + " ids");
        }
        List<String> types = conf.entityTypes();
        if (!types.isEmpty()) {
            p.entityTypes = new HashSet<>(types);
            p.described.add("entity_type IN " + types);
        }
        return p;
    }

    /** Narrows the cursor range to [f, t] (nulls leave a side open). */
    void cursor(Long f, Long t) {
        if (f != null) {
            from = from == null ? f : Math.max(from, f);
        }
        if (t != null) {
            to = to == null ? t : Math.min(to, t);
        }
    }

    void created(Long f, Long t) {
        if (f != null) {
            createdFrom = createdFrom == null ? f : Math.max(createdFrom, f);
        }
        if (t != null) {
            createdTo = createdTo == null ? t : Math.min(createdTo, t);
        }
    }

    /** Intersects the ids (an id filter twice keeps the ids in both). */
    void ids(List<String> v) {
        ids = ids == null ? List.copyOf(v) : ids.stream().filter(v::contains).toList();
    }

    /** Whether the read can return nothing (an empty range or id set), so no request is needed. */
    boolean empty() {
        return (from != null && to != null && from > to)
                || (ids != null && ids.isEmpty())
                || (createdFrom != null && createdTo != null && createdFrom > createdTo)
                || (entityTypes != null && entityTypes.isEmpty())
                || in.values().stream().anyMatch(List::isEmpty);
    }
}
