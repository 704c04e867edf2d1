package io.amocrmetl.ingest;

import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.config.TableSettings;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.state.Journal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;

/**
 * One ingest run's table loads, handed to its {@link FetchWriteScheduler}: reference tables first
 * (refreshed whole), then every enabled entity table over its windows and the shared events read,
 * then, once all is written, the deletions. Each table's work commits on its own.
 */
final class TableLoads {
    private final RunContext ctx;
    private final IngestJob.Options options;
    private final FetchWriteScheduler scheduler;
    private final Budget budget;

    TableLoads(RunContext ctx, IngestJob.Options options, FetchWriteScheduler scheduler, Budget budget) {
        this.ctx = ctx;
        this.options = options;
        this.scheduler = scheduler;
        this.budget = budget;
    }

    /** Loads the enabled tables; returns when every write (and the deletions step) is done. */
    void load(List<String> enabled, AmoSettings amo) {
        references(enabled);
        Map<String, WindowSource> plans = RunWindows.plan(ctx, enabled, options);
        if (options.historical()) {
            RunWindows.estimate(ctx, plans, amo, ctx.out);
        }
        SharedEventsRead events = new SharedEventsRead(ctx, options, scheduler, enabled);
        for (Map.Entry<String, WindowSource> p : plans.entrySet()) {
            String t = p.getKey();
            WindowSource windows = p.getValue();
            Progress progress = new Progress(ctx.out, t, windows, budget);
            if (EntityFacts.sharedFeed(t)) {
                events.load(windows, progress);
            } else {
                entity(t, windows, progress);
            }
        }
        scheduler.await();
        events.deletions(budget);
    }

    /** Reference tables, whole; lists first, as custom fields of lists and list elements need their ids. */
    private void references(List<String> enabled) {
        boolean lists = EntityFacts.needListIds(enabled);
        if (lists) {
            Fetched catalogs = ReferenceLoad.fetch(ctx, Tables.CATALOGS);
            List<String> ids = new ArrayList<>();
            for (Row r : catalogs.rows().select("id").collectAsList()) {
                ids.add(String.valueOf(r.getLong(0)));
            }
            ctx.readBase.put(ReadOptions.CATALOGS, String.join(",", ids));
            scheduler.write(Tables.CATALOGS, () -> ReferenceLoad.write(ctx, catalogs));
        } else {
            ctx.readBase.put(ReadOptions.CATALOGS, "");
        }
        for (String t : EntityFacts.REFERENCE_ORDER) {
            scheduler.load(
                    t,
                    () -> {
                        Fetched f = ReferenceLoad.fetch(ctx, t);
                        if (EntityFacts.fieldDefinitions(t)) {
                            FieldMapping.resolve(ctx, f.rows());
                        }
                        return f;
                    },
                    f -> ReferenceLoad.write(ctx, f));
        }
    }

    /** An entity table, window by window. */
    private void entity(String table, WindowSource windows, Progress progress) {
        scheduler.loadWindows(
                table,
                windows,
                w -> {
                    Fetched f = EntityLoad.fetch(ctx, table, w, filter(ctx.config, table));
                    crashMidHistorical(options);
                    return f;
                },
                f -> progress.window(f.windows(), windowWrite(ctx, options, windows, () -> EntityLoad.write(ctx, f))));
    }

    /** A window's write; a table read in several windows (or a historical load) commits its watermark after each. */
    static Journal.Entry windowWrite(
            RunContext ctx, IngestJob.Options options, WindowSource windows, Supplier<Journal.Entry> write) {
        Journal.Entry e = write.get();
        if (windows.windows() > 1 || windows.hasNext() || options.historical()) {
            ctx.state.flush(ctx.runId);
        }
        return e;
    }

    static void crashMidHistorical(IngestJob.Options options) {
        if (options.historical()) {
            CrashPoint.reach(CrashPoint.MID_HISTORICAL);
        }
    }

    /** The table's filter, and for events the types it holds (tables.events.types). */
    static String filter(EtlConfig config, String table) {
        TableSettings t = config.table(table);
        List<String> parts = new ArrayList<>();
        if (t.filter() != null) {
            parts.add("(" + t.filter() + ")");
        }
        if (!t.types().isEmpty() && !t.allTypes()) { // only events have types
            parts.add("type IN ("
                    + String.join(
                            ", ",
                            t.types().stream()
                                    .map(x -> "'" + x.replace("'", "''") + "'")
                                    .toList()) + ")");
        }
        return parts.isEmpty() ? null : String.join(" AND ", parts);
    }
}
