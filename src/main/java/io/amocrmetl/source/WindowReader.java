package io.amocrmetl.source;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.FilterIgnoredException;
import io.amocrmetl.api.ListRequest;
import io.amocrmetl.api.PageConsumer;
import io.amocrmetl.catalog.Cursor;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.ItemReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@link ReadTask} page by page, Spark-free: each {@link #nextPage()} makes one
 * request (a check may make a few) and returns that page's rows, owned by the task's window and
 * never seen before in this task. Which rows a task owns is decided by the cursor, so windows
 * whose requests overlap by a second never hand out a row twice (DESIGN.md "Bounds at the
 * edges").
 *
 * <p>Why each mode is safe while the account changes (issue "reader, part 2"; connector
 * conventions §3, "rows skipped when the cursor is modified mid-sync"):
 * <ul>
 *   <li>KEYSET asks for page 1 of "cursor ≥ last second seen" every time, so a row that moves
 *   cannot shift a later row out of view. Until the API's bound readings are known
 *   ({@link BoundReadings}; reference §9 leaves them undocumented) bounds go one second wide,
 *   which is right under both. A second holding more than a page is read by page number, exactly
 *   (the readings are probed then if still unknown), and checked as PAGED is.</li>
 *   <li>PAGED is used where the API cannot order by the cursor (tasks, notes, events, ...). A read
 *   of one page is atomic. A read of more pages can lose a row if a row on an earlier page leaves
 *   the window meanwhile (an update moves it past the window's end, a delete removes it). So after
 *   such a read one cheap pass asks what changed since the read began ({@code updated_at ≥ start},
 *   and for tasks the {@code task_deleted} events); if any of those rows had been seen in this
 *   read, the window is read again (at most {@value #MAX_PASSES} passes). Events never change, so
 *   an events window is never re-read.</li>
 * </ul>
 */
final class WindowReader {
    private static final Logger LOG = LoggerFactory.getLogger(WindowReader.class);
    static final int MAX_PASSES = 3;
    /** At most this many ids in one {@code filter[id][]} request, keeping the URL short. */
    static final int ID_BATCH = 100;
    /**
     * Whether events take {@code filter[created_at]} as {@code from,to} (the older RU text and the
     * SDK) instead of {@code [from]/[to]} (reference §4.3). Learnt on first proof, per JVM.
     */
    private static volatile boolean eventsCommaForm;

    private final AmoClient client;
    private final EntitySpec spec;
    private final ItemReader items;
    private final ReadTask task;
    private final Map<String, Object> context;
    private final int cursorAt;
    private final int[] keyAt;
    private final int driftAt;
    private final ReadStats stats;
    /** Keys handed out by this task: windows own rows by cursor, so this only guards re-reads. */
    private final Set<Object> seen = new HashSet<>();

    private boolean done;
    private ReadTask.Mode mode;
    // KEYSET state
    private long lo;
    private final BoundReadings bounds;
    private Long narrow;
    private String narrowNext;
    private int narrowPage;
    private int narrowPasses;
    private Instant narrowStart;
    private final Set<Object> narrowKeys = new HashSet<>();
    // PAGED / IDS / LIST state
    private String next;
    private int page;
    private int passes;
    private Instant passStart;
    private final Set<Object> passKeys = new HashSet<>();
    private int batch;
    private long[] previous = {0, -1};
    /** Pages read so far by this task: keyset pages are all "page 1" to the API, not to a reader of errors. */
    private int pagesRead;

    WindowReader(AmoClient client, EntitySpec spec, ItemReader items, StructType internal, ReadTask task,
                 Map<String, Object> context, ReadStats stats, BoundReadings bounds) {
        this.bounds = bounds;
        this.client = client;
        this.spec = spec;
        this.items = items;
        this.task = task;
        this.context = context;
        this.stats = stats;
        this.mode = task.mode();
        this.cursorAt = spec.cursor() == Cursor.NONE ? -1 : index(internal, spec.cursor().field);
        this.keyAt = spec.key().stream().mapToInt(k -> index(internal, k)).toArray();
        this.driftAt = items.driftColumn();
        this.lo = task.from() == null ? 0 : task.from();
    }

    private static int index(StructType t, String name) {
        String[] names = t.fieldNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the read schema lacks " + name);
    }

    /** The next page's new rows (possibly none), or null when the task is done. */
    List<InternalRow> nextPage() {
        if (done) {
            return null;
        }
        return switch (mode) {
            case KEYSET, KEYSET_IMS -> narrow != null ? narrowStep() : keysetStep();
            case PAGED -> pagedStep();
            case IDS -> idsStep();
            case LIST -> listStep();
            case OBJECT -> objectStep();
        };
    }

    // ---- keyset --------------------------------------------------------------------------------

    private List<InternalRow> keysetStep() {
        String c = spec.cursor().field;
        long sentFrom = mode == ReadTask.Mode.KEYSET ? bounds.from(lo) : lo - 1;
        boolean lowerBound = task.from() != null || lo > 0;
        ListRequest req = base().param("order[" + c + "]", "asc");
        if (mode == ReadTask.Mode.KEYSET) {
            req.range(c, lowerBound ? sentFrom : null, task.to() == null ? null : bounds.to(task.to()));
        } else if (lowerBound) {
            // If-Modified-Since is "changed after": one second early covers either reading.
            req.ifModifiedSince(sentFrom);
        }
        Fetched f;
        try {
            f = fetch(req, req.pathAndQuery(), pagesRead + 1, new long[] {0, -1});
        } catch (FilterIgnoredException e) {
            if (mode == ReadTask.Mode.KEYSET && e.field().equals(c) && c.equals("updated_at")) {
                // The account's API filters are off (reference §4.2): fall back to
                // If-Modified-Since (§3.5), which the lists honour without them.
                LOG.warn("{}: the server ignored filter[{}] (API filters off for this account, reference §4.2); "
                        + "reading by If-Modified-Since instead", task.describe(), c);
                stats.fallbacks++;
                mode = ReadTask.Mode.KEYSET_IMS;
                return List.of();
            }
            throw e;
        }
        LOG.debug("{}: keyset page from {} (lo {}, {}): {} new rows, cursor {}..{}, next {}", task.describe(), sentFrom,
                lo, bounds, f.rows.size(), f.minCursor, f.maxCursor, f.next != null);
        if (mode == ReadTask.Mode.KEYSET && lowerBound && bounds.fromInclusive == null && f.minCursor != null
                && f.minCursor == sentFrom && sentFrom < lo) {
            bounds.fromInclusive = true; // a row at the bound came back
        }
        if (f.next == null || (mode == ReadTask.Mode.KEYSET_IMS && task.to() != null && f.maxCursor != null
                && f.maxCursor > task.to())) {
            done = true;
            return f.rows;
        }
        long max = f.maxCursor == null ? lo : f.maxCursor;
        boolean oneSecond = f.minCursor != null && f.minCursor.equals(f.maxCursor);
        if (!oneSecond && max > lo) {
            lo = max; // every second before max was read whole
            return f.rows;
        }
        // A full page inside one second, or no progress: that second holds more than a page.
        if (mode == ReadTask.Mode.KEYSET && !bounds.known()) {
            probeBounds(max);
            if (max < lo) {
                return f.rows; // the page was the second before lo, read again: now bounds are exact
            }
        }
        lo = Math.max(lo, max);
        narrow = max;
        narrowNext = null;
        narrowPage = 0;
        narrowPasses = 0;
        stats.narrowReads++;
        return f.rows;
    }

    /**
     * Learns whether [from] and [to] include their bound with one-row requests on second {@code x},
     * which has rows: [x, x] returns them only if both include it; [x-1, x] only if [to] does;
     * [x, x+1] only if [from] does.
     */
    private void probeBounds(long x) {
        String c = spec.cursor().field;
        if (bounds.fromInclusive == null || bounds.toInclusive == null) {
            boolean both = probe(c, x, x, x);
            if (both) {
                bounds.learn(true, true);
            } else {
                if (bounds.toInclusive == null) {
                    bounds.toInclusive = probe(c, x - 1, x, x);
                }
                if (bounds.fromInclusive == null) {
                    bounds.fromInclusive = bounds.toInclusive ? false : probe(c, x, x + 1, x);
                }
            }
            LOG.info("{}: the API's cursor bounds are {} (learnt with one-row requests on second {})",
                    task.describe(), bounds, x);
        }
    }

    /** Whether a one-row request for [from, to] returns a row at second {@code x}. */
    private boolean probe(String c, long from, long to, long x) {
        ListRequest req = new ListRequest(task.path(), spec.embedded(), 1).param("order[" + c + "]", "asc")
                .param("filter[" + c + "][from]", String.valueOf(from)).param("filter[" + c + "][to]", String.valueOf(to));
        Collector got = new Collector();
        client.page(req, req.pathAndQuery(), 1, got, new long[] {0, -1});
        stats.pages++;
        for (InternalRow r : got.rows) {
            if (cursorAt >= 0 && !r.isNullAt(cursorAt) && Math.floorDiv(r.getLong(cursorAt), 1_000_000L) == x) {
                return true;
            }
        }
        return false;
    }

    /** Second {@link #narrow} holds more than a page: read it by page number, then check it. */
    private List<InternalRow> narrowStep() {
        String c = spec.cursor().field;
        long s = narrow;
        ListRequest req = base().param("order[" + c + "]", "asc");
        if (mode == ReadTask.Mode.KEYSET) {
            req.range(c, bounds.from(s), bounds.to(s));
        } else {
            req.ifModifiedSince(s - 1);
        }
        boolean first = narrowNext == null;
        narrowPage = first ? 1 : narrowPage + 1;
        if (first) {
            narrowKeys.clear();
            previous = new long[] {0, -1};
        }
        Fetched f = fetch(req, first ? req.pathAndQuery() : narrowNext, narrowPage, previous);
        if (first) {
            narrowStart = client.lastServerDate();
        }
        narrowKeys.addAll(f.keys);
        boolean end = f.next == null || (mode == ReadTask.Mode.KEYSET_IMS && f.maxCursor != null && f.maxCursor > s);
        if (!end) {
            narrowNext = f.next;
            return f.rows;
        }
        if (narrowPage > 1 && narrowPasses + 1 < MAX_PASSES && changedDuring(narrowStart, narrowKeys)) {
            narrowPasses++;
            stats.rereads++;
            narrowNext = null;
            return f.rows;
        }
        narrow = null;
        lo = s + 1;
        if (task.to() != null && lo > task.to()) {
            done = true;
        }
        return f.rows;
    }

    // ---- page numbers ----------------------------------------------------------------------------

    private List<InternalRow> pagedStep() {
        ListRequest req = windowRequest();
        boolean first = next == null;
        page = first ? 1 : page + 1;
        if (first) {
            passKeys.clear();
            previous = new long[] {0, -1};
        }
        Fetched f;
        try {
            f = fetch(req, first ? req.pathAndQuery() : next, page, previous);
        } catch (FilterIgnoredException e) {
            if (isEvents() && !eventsCommaForm && e.field().equals("created_at")) {
                LOG.warn("{}: the server ignored filter[created_at][from|to]; sending the comma form from,to "
                        + "(reference §4.3)", task.describe());
                eventsCommaForm = true;
                stats.fallbacks++;
                next = null;
                return List.of();
            }
            throw e;
        }
        if (first) {
            passStart = client.lastServerDate();
        }
        passKeys.addAll(f.keys);
        if (f.next != null) {
            next = f.next;
            return f.rows;
        }
        next = null;
        if (page > 1 && passes + 1 < MAX_PASSES && mayShift() && changedDuring(passStart, passKeys)) {
            passes++;
            stats.rereads++;
            LOG.info("{}: a row seen on an earlier page changed during the read; reading the window again "
                    + "(pass {} of {})", task.describe(), passes + 1, MAX_PASSES);
            return f.rows;
        }
        done = true;
        return f.rows;
    }

    /** Whether rows can leave this window while it is read (events never change). */
    private boolean mayShift() {
        return spec.cursor() == Cursor.UPDATED_AT && !isEvents();
    }

    private boolean isEvents() {
        return spec.name().equals("events");
    }

    /** The window's first-page request: the cursor range one second wider on each side. */
    private ListRequest windowRequest() {
        ListRequest req = base();
        if (spec.cursor() == Cursor.NONE) {
            return req;
        }
        // Events' created_at bounds are a separate filter of their own (§4.3): always one second wider.
        Long from = task.from() == null ? null : isEvents() ? task.from() - 1 : bounds.from(task.from());
        Long to = task.to() == null ? null : isEvents() ? task.to() + 1 : bounds.to(task.to());
        if (from == null && to == null) {
            return req;
        }
        if (isEvents() && eventsCommaForm) {
            req.param("filter[created_at]", (from == null ? 0 : from) + (to == null ? "" : "," + to));
            req.checkRange("created_at", from, to);
        } else {
            req.range(spec.cursor().field, from, to);
        }
        return req;
    }

    /**
     * Whether any row in {@code keys} changed (or, for tasks, was deleted) since {@code start}: the
     * cheap pass after a read of several pages. It reads only what changed meanwhile.
     */
    private boolean changedDuring(Instant start, Set<Object> keys) {
        if (start == null || keys.isEmpty()) {
            return false;
        }
        long since = start.getEpochSecond() - 1;
        ListRequest changed = base().range("updated_at", since, null);
        List<Object> hits = new ArrayList<>();
        walkKeys(changed, hits);
        if (spec.name().equals("tasks")) {
            ListRequest deleted = ListRequest.of("/api/v4/events", "events").in("type", List.of("task_deleted"));
            if (eventsCommaForm) {
                deleted.param("filter[created_at]", String.valueOf(since));
            } else {
                deleted.range("created_at", since, null);
            }
            client.walk(deleted, new PageConsumer() {
                @Override
                public void item(JsonParser p) throws IOException {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        if (field.equals("entity_id") && p.currentToken().isNumeric()) {
                            hits.add(p.getLongValue());
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            });
        }
        stats.checks++;
        for (Object k : hits) {
            if (keys.contains(k)) {
                return true;
            }
        }
        return false;
    }

    private void walkKeys(ListRequest req, List<Object> out) {
        Collector c = new Collector();
        client.walk(req, c);
        for (InternalRow r : c.rows) {
            out.add(key(r));
        }
    }

    // ---- ids, lists, objects -----------------------------------------------------------------------

    private List<InternalRow> idsStep() {
        List<String> ids = task.ids();
        int batches = (ids.size() + ID_BATCH - 1) / ID_BATCH;
        if (batch >= batches) {
            done = true;
            return List.of();
        }
        List<String> part = ids.subList(batch * ID_BATCH, Math.min(ids.size(), (batch + 1) * ID_BATCH));
        ListRequest req = base().in("id", part);
        boolean first = next == null;
        page = first ? 1 : page + 1;
        Fetched f = fetch(req, first ? req.pathAndQuery() : next, page, first ? (previous = new long[] {0, -1}) : previous);
        next = f.next;
        if (next == null) {
            batch++;
            done = batch >= batches;
        }
        return f.rows;
    }

    private List<InternalRow> listStep() {
        ListRequest req = base();
        boolean first = next == null;
        page = first ? 1 : page + 1;
        Fetched f = fetch(req, first ? req.pathAndQuery() : next, page, first ? (previous = new long[] {0, -1}) : previous);
        next = f.next;
        done = next == null;
        return f.rows;
    }

    private List<InternalRow> objectStep() {
        String query = task.params().isEmpty() ? "" : "?" + String.join("&",
                task.params().stream().map(p -> p[0] + "=" + p[1]).toList());
        JsonNode node = client.getObject(task.path() + query);
        done = true;
        stats.pages++;
        if (node == null) {
            return List.of();
        }
        List<InternalRow> rows = new ArrayList<>();
        try (JsonParser p = node.traverse()) {
            p.nextToken();
            items.read(p, context, rows::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stats.rows += rows.size();
        return rows;
    }

    // ---- shared ----------------------------------------------------------------------------------

    /** The task's list request: its page size, pushed parameters and checks. */
    private ListRequest base() {
        ListRequest req = new ListRequest(task.path(), spec.embedded(), bounds.pageSize(task.path()));
        for (String[] p : task.params()) {
            req.param(p[0], p[1]);
        }
        // Events filter on entity_type by filter[entity][] (reference §4.3); elsewhere the names match.
        task.checks().forEach((field, values) -> req.in(isEvents() && field.equals("entity_type") ? "entity" : field,
                field, values));
        return req;
    }

    /** One page's rows: kept when owned and new; with the cursor extremes and keys of all. */
    private record Fetched(List<InternalRow> rows, String next, Long minCursor, Long maxCursor, List<Object> keys) {
    }

    private Fetched fetch(ListRequest req, String pathAndQuery, int pageNo, long[] prev) {
        Collector c = new Collector();
        AmoClient.ListPage p = client.page(req, pathAndQuery, pageNo, c, prev);
        stats.pages++;
        pagesRead++;
        List<InternalRow> kept = new ArrayList<>(c.rows.size());
        List<Object> keys = new ArrayList<>(c.rows.size());
        Long min = null;
        Long max = null;
        for (InternalRow r : c.rows) {
            Long cur = cursorAt < 0 || r.isNullAt(cursorAt) ? null : Math.floorDiv(r.getLong(cursorAt), 1_000_000L);
            if (cur != null) {
                min = min == null ? cur : Math.min(min, cur);
                max = max == null ? cur : Math.max(max, cur);
            }
            Object k = key(r);
            keys.add(k);
            boolean owned = cur == null || ((task.from() == null || cur >= task.from()) && (task.to() == null || cur <= task.to()));
            if (owned && seen.add(k)) {
                kept.add(r);
                if (driftAt >= 0 && !r.isNullAt(driftAt)) {
                    stats.drift(r.getArray(driftAt));
                }
            }
        }
        stats.rows += kept.size();
        return new Fetched(kept, p.next(), min, max, keys);
    }

    private Object key(InternalRow r) {
        if (keyAt.length == 1) {
            return r.isNullAt(keyAt[0]) ? null : r.get(keyAt[0], null) instanceof Long l ? l : r.getUTF8String(keyAt[0]).toString();
        }
        List<Object> k = new ArrayList<>(keyAt.length);
        for (int at : keyAt) {
            Object v = r.isNullAt(at) ? null : r.get(at, null);
            k.add(v == null ? null : v.toString());
        }
        return k;
    }

    /** Buffers a page's rows; a page that fails midway is dropped and read again. */
    private final class Collector implements PageConsumer {
        final List<InternalRow> rows = new ArrayList<>();
        private int mark;

        @Override
        public void beginPage(int page) {
            mark = rows.size();
        }

        @Override
        public void item(JsonParser p) throws IOException {
            items.read(p, context, rows::add);
        }

        @Override
        public void abortPage(int page) {
            rows.subList(mark, rows.size()).clear();
        }
    }
}
