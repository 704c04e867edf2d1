package io.amocrmetl.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.ListRequest;
import io.amocrmetl.api.PageConsumer;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Cursor;
import io.amocrmetl.catalog.EndpointFacts;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.ItemReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * One task's requests and the rows they yield, whatever the way of paging ({@link Paging}): builds
 * the task's list requests, and turns a page into the rows the task owns (by cursor) and has not
 * handed out yet, with the page's cursor extremes and the keys of all its rows.
 */
final class PageFetcher {
    /**
     * Whether events take {@code filter[created_at]} as {@code from,to} (the older RU text and the
     * SDK) instead of {@code [from]/[to]} (docs/amocrm-api.md §4.3). Learnt on first proof, per JVM.
     */
    static volatile boolean eventsCommaForm;

    final AmoClient client;
    final EntitySpec spec;
    final ReadTask task;
    final ReadStats stats;
    final BoundReadings bounds;
    private final ItemReader items;
    private final Map<String, Object> context;
    private final int cursorAt;
    private final int[] keyAt;
    private final int driftAt;
    /** Keys handed out by this task: windows own rows by cursor, so this only guards re-reads. */
    private final Set<Object> seen = new HashSet<>();
    /** Pages read so far by this task: keyset pages are all "page 1" to the API, not to a reader of errors. */
    private int pagesRead;

    PageFetcher(
            AmoClient client,
            EntitySpec spec,
            ItemReader items,
            StructType internal,
            ReadTask task,
            Map<String, Object> context,
            ReadStats stats,
            BoundReadings bounds) {
        this.client = client;
        this.spec = spec;
        this.items = items;
        this.task = task;
        this.context = context;
        this.stats = stats;
        this.bounds = bounds;
        this.cursorAt = spec.cursor() == Cursor.NONE ? -1 : index(internal, spec.cursor().field);
        this.keyAt = spec.key().stream().mapToInt(k -> index(internal, k)).toArray();
        this.driftAt = items.driftColumn();
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

    /** One page's rows: kept when owned and new; with the cursor extremes and keys of all. */
    record Fetched(List<InternalRow> rows, String next, Long minCursor, Long maxCursor, List<Object> keys) {}

    boolean isEvents() {
        return EndpointFacts.eventsFilterForms(spec);
    }

    int pagesRead() {
        return pagesRead;
    }

    /** The task's list request: its page size, pushed parameters and checks. */
    ListRequest base() {
        ListRequest req = new ListRequest(task.path(), spec.embedded(), bounds.pageSize(task.path()));
        for (String[] p : task.params()) {
            req.param(p[0], p[1]);
        }
        // Events filter on entity_type by filter[entity][] (docs/amocrm-api.md §4.3); elsewhere the names match.
        task.checks()
                .forEach((field, values) ->
                        req.in(isEvents() && field.equals(Columns.ENTITY_TYPE) ? "entity" : field, field, values));
        return req;
    }

    Fetched fetch(ListRequest req, String pathAndQuery, int pageNo, long[] prev) {
        Collector c = new Collector();
        AmoClient.ListPage p = client.page(req, pathAndQuery, pageNo, c, prev);
        stats.pages++;
        pagesRead++;
        List<InternalRow> kept = new ArrayList<>(c.rows.size());
        List<Object> keys = new ArrayList<>(c.rows.size());
        Long min = null;
        Long max = null;
        for (InternalRow r : c.rows) {
            Long cur = second(r);
            if (cur != null) {
                min = min == null ? cur : Math.min(min, cur);
                max = max == null ? cur : Math.max(max, cur);
            }
            Object k = key(r);
            keys.add(k);
            boolean owned = cur == null
                    || ((task.from() == null || cur >= task.from()) && (task.to() == null || cur <= task.to()));
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

    /** Whether the first page of {@code req} holds a row at cursor second {@code x} (a probe: nothing is kept). */
    boolean hasRowAt(ListRequest req, long x) {
        Collector got = new Collector();
        client.page(req, req.pathAndQuery(), 1, got, new long[] {0, -1});
        stats.pages++;
        for (InternalRow r : got.rows) {
            Long cur = second(r);
            if (cur != null && cur == x) {
                return true;
            }
        }
        return false;
    }

    /** The keys of every row {@code req} lists, all pages. */
    List<Object> keys(ListRequest req) {
        Collector c = new Collector();
        client.walk(req, c);
        List<Object> out = new ArrayList<>(c.rows.size());
        for (InternalRow r : c.rows) {
            out.add(key(r));
        }
        return out;
    }

    /** The rows of one object ({@code /api/v4/account}); none when the server has none. */
    List<InternalRow> object(String pathAndQuery) {
        JsonNode node = client.getObject(pathAndQuery);
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

    /** The row's cursor in epoch seconds, or null. */
    private Long second(InternalRow r) {
        return cursorAt < 0 || r.isNullAt(cursorAt) ? null : Math.floorDiv(r.getLong(cursorAt), 1_000_000L);
    }

    private Object key(InternalRow r) {
        if (keyAt.length == 1) {
            return r.isNullAt(keyAt[0])
                    ? null
                    : r.get(keyAt[0], null) instanceof Long l
                            ? l
                            : r.getUTF8String(keyAt[0]).toString();
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
