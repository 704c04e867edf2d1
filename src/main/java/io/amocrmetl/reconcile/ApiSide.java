package io.amocrmetl.reconcile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.ingest.IngestPath;
import io.amocrmetl.ingest.RunContext;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.source.ScanMetrics;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * amoCRM's side of a check, read through {@code format("amocrm")} with the columns ingest reads
 * and hashed as ingest hashes, so a row's {@code _hash} equals the lake's when nothing changed
 * (docs/reconciliation.md). The API has no counts (docs/amocrm-api.md §3.2): every measure is a list scan,
 * made exact by the reader's windows (rows that move while it pages are never lost or doubled) and
 * by judging as of one moment ({@link KeyJudge}). Every request made is counted.
 */
final class ApiSide {
    /** Events that change an entity without (necessarily) moving its updated_at (docs/amocrm-api.md §4.3, §9). */
    static final List<String> SIGNALS = List.of(
            "lead_deleted",
            "contact_deleted",
            "company_deleted",
            "task_deleted",
            "lead_restored",
            "contact_restored",
            "company_restored",
            "entity_linked",
            "entity_unlinked",
            "lead_linked",
            "lead_unlinked",
            "contact_linked",
            "contact_unlinked",
            "company_linked",
            "company_unlinked",
            "entity_tag_added",
            "entity_tag_deleted");

    private final RunContext ctx;
    private final EtlConfig config;
    private final boolean apiFilters;
    private final AtomicLong requests = new AtomicLong();
    private long lastRows;

    /** @param apiFilters whether the account's list filters work (is_api_filter_enabled, docs/amocrm-api.md §4.2) */
    ApiSide(RunContext ctx, EtlConfig config, boolean apiFilters) {
        this.ctx = ctx;
        this.config = config;
        this.apiFilters = apiFilters;
    }

    /** The reconciled table an event's singular entity_type names, or null. */
    private static String reconciled(String singular) {
        return EntityFacts.bySingular(singular)
                .filter(t -> EntityFacts.of(t).reconciled())
                .orElse(null);
    }

    /** Rows the last read returned (the reader's own count: no Spark job). */
    long lastRows() {
        return lastRows;
    }

    /** Requests made so far by this side's reads. */
    long requests() {
        return requests.get();
    }

    /**
     * The table's live rows created in [from, to] and updated before {@code moment}, with
     * {@code _hash}; materialised (the requests happen here). One cursor window over
     * [from, moment − 1] (an entity is updated no earlier than created): one scan, one request per
     * page, a sparse range costs no empty requests.
     */
    Dataset<Row> scan(String table, long from, long to, long moment) {
        long last = moment - 1;
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(ReadOptions.FROM, String.valueOf(from));
        extra.put(ReadOptions.TO, String.valueOf(Math.max(from, last)));
        extra.put(ReadOptions.WINDOW, Math.max(1, last - from + 1) + "s");
        extra.put(ReadOptions.PARTITIONS, "1");
        Dataset<Row> read = filtered(table, IngestPath.read(ctx, table, extra));
        if (apiFilters) {
            // Pushed down as filter[created_at][from|to] (docs/amocrm-api.md §4.2); Spark re-checks it.
            read = read.where(col(Columns.CREATED_AT)
                    .geq(lit(ts(from)))
                    .and(col(Columns.CREATED_AT).leq(lit(ts(to)))));
        } else {
            // Filters off: the server would ignore filter[created_at], so it is applied here only.
            read = read.where(expr("unix_timestamp(created_at) BETWEEN " + from + " AND " + to));
        }
        if (last < from) {
            read = read.where(lit(false));
        }
        return materialise(table, read);
    }

    /** The entities of these ids as amoCRM lists them now ({@code filter[id][]}, 100 a request), with {@code _hash}. */
    Map<Long, KeyState> byIds(String table, Collection<Long> ids) {
        Map<Long, KeyState> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Map<String, String> extra = Map.of(
                ReadOptions.IDS,
                String.join(",", ids.stream().map(String::valueOf).toList()));
        Dataset<Row> rows = materialise(table, filtered(table, IngestPath.read(ctx, table, extra)));
        for (Row r : rows.select("id", Columns.UPDATED_AT, Columns.HASH).collectAsList()) {
            out.put(r.getLong(0), new KeyState(r.getTimestamp(1).toInstant().getEpochSecond(), r.getString(2), false));
        }
        return out;
    }

    /**
     * The entities ("leads/123") named by events since {@code moment}: deletions, restores, links
     * and tag changes, the changes that need not move updated_at. One read of the events since then.
     */
    Set<String> signalledSince(long moment) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(ReadOptions.FROM, String.valueOf(moment));
        Dataset<Row> read = IngestPath.read(ctx, Tables.EVENTS, extra)
                .where("type IN ("
                        + String.join(
                                ", ", SIGNALS.stream().map(t -> "'" + t + "'").toList()) + ")")
                .select(Columns.ENTITY_TYPE, Columns.ENTITY_ID, "value_after", "value_before");
        Dataset<Row> rows = read.localCheckpoint(true);
        requests.addAndGet(ScanMetrics.of(read).requests());
        Set<String> out = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        for (Row r : rows.collectAsList()) {
            String entity = reconciled(r.getString(0));
            if (entity != null && !r.isNullAt(1)) {
                out.add(entity + "/" + r.getLong(1));
            }
            for (int c = 2; c <= 3; c++) {
                linked(json, r.isNullAt(c) ? null : r.getString(c), out);
            }
        }
        return out;
    }

    /** The other side of a link event: {@code [{"link": {"entity": {"id": .., "type": ..}}}]} (docs/amocrm-api.md §4.3). */
    private static void linked(ObjectMapper json, String text, Set<String> out) {
        if (text == null) {
            return;
        }
        try {
            for (JsonNode item : json.readTree(text)) {
                JsonNode e = item.path("link").path("entity");
                String plural = reconciled(e.path("type").asText(""));
                if (plural != null && e.path("id").canConvertToLong()) {
                    out.add(plural + "/" + e.path("id").asLong());
                }
            }
        } catch (IOException e) {
            // An odd value shape names nothing more; the event's own entity still counts.
        }
    }

    /** tables.&lt;t&gt;.filter: the lake holds only what passes it, so the API side is judged by it too. */
    private Dataset<Row> filtered(String table, Dataset<Row> read) {
        String filter = config.table(table).filter();
        return filter == null ? read : read.where(filter);
    }

    private Dataset<Row> materialise(String table, Dataset<Row> read) {
        Column[] cols =
                IngestPath.columns(table).stream().map(c -> col("`" + c + "`")).toArray(Column[]::new);
        Dataset<Row> hashed = IngestPath.withHash(read.select(cols));
        Dataset<Row> rows = hashed.localCheckpoint(true);
        ScanMetrics m = ScanMetrics.of(hashed);
        requests.addAndGet(m.requests());
        lastRows = m.rows();
        return rows;
    }

    static Timestamp ts(long seconds) {
        return Timestamp.from(Instant.ofEpochSecond(seconds));
    }
}
