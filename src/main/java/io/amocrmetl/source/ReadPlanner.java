package io.amocrmetl.source;

import io.amocrmetl.api.RateLimiter;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Cursor;
import io.amocrmetl.catalog.EndpointFacts;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntitySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a read (entity, bounds, pushdown, columns) into tasks and partitions, Spark-free and
 * without I/O: it plans from plain values ({@link PlanningContext} gathers them, {@link AmoBatch}
 * hands the plan to Spark).
 * <ul>
 *   <li>a bounded read on the cursor is cut into windows of at most {@code window}; a read within
 *   one window stays one task, and tasks of a small read share one partition;</li>
 *   <li>each endpoint of a multi-endpoint entity (notes of four entity types, one list's elements)
 *   is its own task;</li>
 *   <li>at most {@code budget} partitions: each gets a whole per-second share of the rate budget,
 *   never 0, and the shares sum to at most the budget however Spark schedules them, because no
 *   more partitions exist than shares (docs/architecture.md);</li>
 *   <li>each partition reads a contiguous stretch of windows; keyset windows of a stretch merge
 *   into one sweep, so a sparse range costs a request per page, not per window.</li>
 * </ul>
 */
final class ReadPlanner {
    /** The tasks of each partition and each partition's share of the budget. */
    record Plan(List<List<ReadTask>> partitions, int[] shares, List<ReadTask> tasks) {}

    private ReadPlanner() {}

    /**
     * Request starts per second the partitions may use together. In local mode they join this
     * JVM's limiter and share the whole rate; on a cluster the driver keeps one request per second
     * for itself (planning, token refresh) beside the executors' shares. Unlimited (the sandbox):
     * a share for each task Spark runs at once.
     */
    static int budget(boolean unlimited, int requestsPerSecond, boolean local, int parallelism) {
        return unlimited ? Math.max(1, parallelism) : local ? requestsPerSecond : Math.max(1, requestsPerSecond - 1);
    }

    /**
     * @param with the {@code with=} values the required columns need
     * @param windowSeconds the longest window
     * @param budget request starts per second the partitions may use together
     * @param parallelism how many tasks Spark runs at once
     * @param partitionsWanted the partitions asked for (capped by the budget), or null for
     *                         the budget's shares or Spark's parallelism, whichever is fewer
     */
    static Plan plan(
            EntitySpec spec,
            Pushdown push,
            AccountContext account,
            List<String> with,
            long windowSeconds,
            int budget,
            int parallelism,
            Integer partitionsWanted) {
        List<List<ReadTask>> perEndpoint = new ArrayList<>();
        int count = 0;
        if (!push.empty()) {
            for (EntitySpec.Endpoint e : endpoints(spec, push, account)) {
                List<ReadTask> windows = tasksFor(spec, e, push, account, with, windowSeconds);
                perEndpoint.add(windows);
                count += windows.size();
            }
        }
        int cap = Math.max(1, budget);
        int parts =
                partitionsWanted != null ? Math.min(partitionsWanted, cap) : Math.min(cap, Math.max(1, parallelism));
        parts = Math.max(1, Math.min(parts, count));
        int[] shares = RateLimiter.shares(cap, parts);
        parts = shares.length;
        List<List<ReadTask>> partitions = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            partitions.add(new ArrayList<>());
        }
        // Contiguous blocks of windows, balanced by count: a partition sweeps its stretch of time,
        // and for keyset reads its block merges into one task (one request per page, not per
        // window: a sparse stretch costs no empty requests).
        List<ReadTask> all = new ArrayList<>();
        perEndpoint.forEach(all::addAll);
        int at = 0;
        for (int i = 0; i < parts; i++) {
            int size = count / parts + (i < count % parts ? 1 : 0);
            partitions.get(i).addAll(merge(all.subList(at, at + size)));
            at += size;
        }
        List<ReadTask> tasks = new ArrayList<>();
        partitions.forEach(tasks::addAll);
        return new Plan(partitions, shares, tasks);
    }

    /** Adjacent keyset windows of one endpoint become one task over their joined range. */
    static List<ReadTask> merge(List<ReadTask> block) {
        List<ReadTask> out = new ArrayList<>();
        for (ReadTask t : block) {
            ReadTask last = out.isEmpty() ? null : out.get(out.size() - 1);
            boolean keyset = t.mode() == ReadTask.Mode.KEYSET || t.mode() == ReadTask.Mode.KEYSET_IMS;
            if (last != null
                    && keyset
                    && last.mode() == t.mode()
                    && last.path().equals(t.path())
                    && last.context().equals(t.context())
                    && last.to() != null
                    && t.from() != null
                    && last.to() + 1 == t.from()) {
                out.set(
                        out.size() - 1,
                        new ReadTask(
                                last.path(),
                                last.context(),
                                last.mode(),
                                last.from(),
                                t.to(),
                                last.params(),
                                last.checks(),
                                last.ids()));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    /** The endpoints to read: the spec's, narrowed by entity type, or one per list. */
    static List<EntitySpec.Endpoint> endpoints(EntitySpec spec, Pushdown push, AccountContext account) {
        List<EntitySpec.Endpoint> out = new ArrayList<>();
        if (spec.perCatalog()) {
            for (long catalog : account.catalogs()) {
                out.add(new EntitySpec.Endpoint(Entities.catalogElementsPath(catalog), Map.of()));
            }
            return out;
        }
        for (EntitySpec.Endpoint e : spec.endpoints()) {
            String type = e.context().get(Columns.ENTITY_TYPE);
            if (type != null && push.entityTypes != null && !push.entityTypes.contains(type)) {
                continue;
            }
            if (EndpointFacts.needsCustomers(e) && !account.customersAvailable()) {
                continue;
            }
            out.add(e);
        }
        if (EndpointFacts.alsoPerCatalog(spec)) {
            out.addAll(EndpointFacts.perCatalog(account.catalogs(), push.entityTypes));
        }
        return out;
    }

    private static List<ReadTask> tasksFor(
            EntitySpec spec,
            EntitySpec.Endpoint e,
            Pushdown push,
            AccountContext account,
            List<String> with,
            long windowSeconds) {
        List<String[]> params = new ArrayList<>();
        if (!with.isEmpty()) {
            params.add(new String[] {"with", String.join(",", with)});
        }
        if (spec.name().equals("account")) {
            params.add(new String[] {"with", "datetime_settings"});
            return List.of(
                    new ReadTask(e.path(), e.context(), ReadTask.Mode.OBJECT, null, null, params, Map.of(), null));
        }
        Map<String, List<String>> checks = new LinkedHashMap<>(push.in);
        if (push.createdFrom != null || push.createdTo != null) {
            // One second wider each side: the API's bound inclusivity is undocumented (docs/amocrm-api.md §9).
            if (push.createdFrom != null) {
                params.add(new String[] {"filter[created_at][from]", String.valueOf(push.createdFrom - 1)});
            }
            if (push.createdTo != null) {
                params.add(new String[] {"filter[created_at][to]", String.valueOf(push.createdTo + 1)});
            }
        }
        if (push.ids != null && spec.idFilter()) {
            return List.of(new ReadTask(
                    e.path(), e.context(), ReadTask.Mode.IDS, push.from, push.to, params, checks, push.ids));
        }
        if (spec.cursor() == Cursor.NONE) {
            return List.of(new ReadTask(e.path(), e.context(), ReadTask.Mode.LIST, null, null, params, checks, null));
        }
        ReadTask.Mode mode;
        if (spec.keyset()) {
            mode = account.apiFilters() ? ReadTask.Mode.KEYSET : ReadTask.Mode.KEYSET_IMS;
        } else if (EndpointFacts.sortedByCursor(spec)) {
            mode = ReadTask.Mode.KEYSET;
        } else if (!account.apiFilters() && !EndpointFacts.modifiedSinceHeader(spec)) {
            // Filters off and no If-Modified-Since: read the list whole; rows outside the window
            // are dropped by the reader.
            mode = ReadTask.Mode.LIST;
        } else {
            mode = ReadTask.Mode.PAGED;
        }
        List<ReadTask> out = new ArrayList<>();
        // Nothing in the account predates it: windows before its creation would be empty requests.
        Long from = push.from;
        if (from != null && account.createdAt() != null && from < account.createdAt()) {
            from = account.createdAt();
        }
        for (long[] w : windows(from, push.to, account.serverNow().getEpochSecond(), windowSeconds)) {
            out.add(new ReadTask(
                    e.path(),
                    e.context(),
                    mode,
                    w[0] == Long.MIN_VALUE ? null : w[0],
                    w[1] == Long.MAX_VALUE ? null : w[1],
                    params,
                    checks,
                    null));
        }
        return out;
    }

    /**
     * Cursor windows covering [from, to] (inclusive seconds), each at most {@code size} long; an
     * open end (null) stays open in the last window. Without a lower bound the read is one
     * window: where it would start is unknown.
     */
    static List<long[]> windows(Long from, Long to, long now, long size) {
        List<long[]> out = new ArrayList<>();
        if (from == null) {
            out.add(new long[] {Long.MIN_VALUE, to == null ? Long.MAX_VALUE : to});
            return out;
        }
        long end = to != null ? to : Math.max(from, now);
        long start = from;
        while (end - start + 1 > size) {
            out.add(new long[] {start, start + size - 1});
            start += size;
        }
        out.add(new long[] {start, to == null ? Long.MAX_VALUE : end});
        return out;
    }
}
