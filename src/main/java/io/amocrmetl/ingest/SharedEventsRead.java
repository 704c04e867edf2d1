package io.amocrmetl.ingest;

import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.state.Journal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The run's one events read, shared by its consumers: the events table (when loaded),
 * {@code lead_status_history}, and, once every table is written, the deletions step. It asks for
 * the types they need together; each consumer takes its part of every window.
 */
final class SharedEventsRead {
    private final RunContext ctx;
    private final IngestJob.Options options;
    private final FetchWriteScheduler scheduler;
    private final List<String> enabled;
    /** Every window read, for the deletions step. */
    /** The events table: its read is the one this class shares. */
    private static final String FEED = EntityFacts.sharedFeedTable();

    private final List<Fetched> reads = Collections.synchronizedList(new ArrayList<>());

    SharedEventsRead(RunContext ctx, IngestJob.Options options, FetchWriteScheduler scheduler, List<String> enabled) {
        this.ctx = ctx;
        this.options = options;
        this.scheduler = scheduler;
        this.enabled = enabled;
    }

    /** Schedules the read's windows; each window's write writes the events table's part and the history's. */
    void load(WindowSource windows, Progress progress) {
        boolean eventsTable = enabled.contains(FEED);
        scheduler.loadWindows(
                FEED,
                windows,
                w -> {
                    Fetched f =
                            EntityLoad.fetch(ctx, FEED, w, eventTypes(ctx.config, eventsTable, options.historical()));
                    reads.add(f);
                    TableLoads.crashMidHistorical(options);
                    return f;
                },
                f -> progress.window(f.windows(), TableLoads.windowWrite(ctx, options, windows, () -> {
                    Journal.Entry e = null;
                    if (eventsTable) {
                        e = EntityLoad.write(ctx, part(f, FEED, f.window(), TableLoads.filter(ctx.config, FEED)));
                    }
                    Journal.Entry h = StatusHistoryLoad.write(
                            ctx,
                            part(f, Tables.LEAD_STATUS_HISTORY, f.window(), "type = '" + StatusHistoryLoad.TYPE + "'"));
                    return e != null ? e : h;
                })));
    }

    /**
     * The deletions step, after every table is written (it judges rows by what the lists showed in
     * this run), over what this read brought; an incremental run the budget stopped skips it.
     */
    void deletions(Budget budget) {
        if (!options.historical() && budget.allowsMore()) {
            scheduler.current = Tables.DELETIONS;
            IngestWindow deletes = IngestWindow.incremental(ctx.state.get(Tables.DELETIONS), ctx.serverNow, ctx.config);
            Dataset<Row> events = reads.stream()
                    .map(Fetched::rows)
                    .reduce(Dataset::unionByName)
                    .orElse(null);
            if (events != null) {
                scheduler.done.add(IngestJob.report(
                        ctx.out,
                        DeletesLoad.run(
                                ctx,
                                deletes,
                                new HashSet<>(enabled),
                                events,
                                enabled.contains(FEED)
                                        ? 0
                                        : reads.stream()
                                                .mapToLong(f -> f.entry().requests)
                                                .sum())));
            }
        } else if (!options.historical()) {
            scheduler.skipped.add(Tables.DELETIONS);
        }
    }

    /**
     * The types the run's one events read asks for: the events table's, the status changes, and
     * the deletion signals; null (every type) when the events table holds every type.
     */
    static String eventTypes(EtlConfig config, boolean eventsTable, boolean historical) {
        if (eventsTable && config.table(FEED).allTypes()) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        if (eventsTable) {
            types.addAll(config.table(FEED).types());
        }
        types.add(StatusHistoryLoad.TYPE);
        if (!historical) {
            types.addAll(EventSignals.types());
        }
        return "type IN ("
                + String.join(
                        ", ",
                        types.stream()
                                .map(x -> "'" + x.replace("'", "''") + "'")
                                .toList()) + ")";
    }

    /** A consumer's part of a shared read: its rows, a journal entry of its own, its window. */
    static Fetched part(Fetched shared, String table, IngestWindow window, String filter) {
        Dataset<Row> rows = filter == null ? shared.rows() : shared.rows().where(filter);
        Journal.Entry entry = new Journal.Entry(table);
        entry.windowFrom = window.fromInstant();
        entry.windowTo = window.toInstant();
        entry.rowsRead = rows.count();
        if (table.equals(FEED)) {
            entry.requests = shared.entry().requests;
            entry.retries = shared.entry().retries;
            entry.tooManyRequests = shared.entry().tooManyRequests;
            entry.limiterWaitMs = shared.entry().limiterWaitMs;
            entry.executorPids = shared.entry().executorPids;
        }
        return new Fetched(table, rows, entry, window, shared.startedNanos());
    }
}
