package io.amocrmetl.ingest;

import java.util.function.Supplier;
import java.util.TreeSet;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.HashSet;
import java.util.Comparator;
import java.util.Collections;
import io.amocrmetl.api.Redaction;
import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.config.TableSettings;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.state.Journal;
import io.amocrmetl.state.SyncState;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ingest}: brings the lake up to date with the CRM (issue "Ingest, part 1"). Reference
 * tables first (refreshed whole), then every enabled entity table over its window, then the
 * status history. Each table's work commits on its own; a failure stops the run with the work done
 * kept, and the next run resumes from each table's watermark.
 */
public final class IngestJob {
    private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
    /** Entity tables in load order: parents before the entities that link to them. */
    public static final List<String> ENTITY_ORDER = List.of("leads", "contacts", "companies", "tasks", "notes", "events",
            "unsorted", "customers", "customer_transactions", "catalog_elements");
    static final List<String> REFERENCE_ORDER = List.of("account", "users", "pipelines", "statuses", "loss_reasons", "tags",
            "custom_fields");

    /**
     * @param tables tables to load this run instead of {@code tables.<t>.enabled} (null: the config's)
     * @param from a historical load from this instant ({@code --from}); null for an incremental run
     * @param to the historical load's end ({@code --to}); null: now
     * @param reload read the historical range even where coverage already holds it
     * @param maxRequests stop at a window boundary after this many requests (null: no limit)
     * @param maxMinutes stop at a window boundary after this many minutes (null: no limit)
     */
    public record Options(List<String> tables, Instant from, Instant to, boolean reload, Long maxRequests, Long maxMinutes) {
        public Options(List<String> tables) {
            this(tables, null, null, false, null, null);
        }

        boolean historical() {
            return from != null;
        }
    }

    /**
     * What a run did, for the command's summary and the tests.
     *
     * @param partial why the run stopped at a window boundary before finishing (a budget), or null
     */
    public record Result(String runId, long accountId, List<Journal.Entry> entries, long requests, double seconds,
                         String partial) {
        public ExitCode exitCode() {
            return partial == null ? ExitCode.OK : ExitCode.PARTIAL;
        }
    }

    private IngestJob() {
    }

    /**
     * @param configSource the reader options that name the same configuration (its file and overrides)
     */
    public static Result run(SparkSession spark, EtlConfig config, Map<String, String> configSource, Options options,
                             PrintStream out) {
        long started = System.nanoTime();
        AmoSettings amo = config.amocrm().requireAuth();
        AmoClient client = AmoClient.connect(amo, Clock.systemUTC());
        JsonNode account = client.getObject("/api/v4/account?with=datetime_settings");
        if (account == null || !account.hasNonNull("id")) {
            throw new EtlException(ExitCode.UNEXPECTED, "GET /api/v4/account returned no account id");
        }
        long accountId = account.get("id").asLong();
        Instant serverNow = client.firstServerDate() != null ? client.firstServerDate() : Instant.now();
        Lake lake = Lake.open(spark, config.lakePath());
        String runId = UUID.randomUUID().toString();
        Map<String, String> hints = new LinkedHashMap<>();
        hints.put(ReadOptions.API_FILTERS, String.valueOf(!account.has("is_api_filter_enabled")
                || account.get("is_api_filter_enabled").asBoolean(true)));
        if (account.hasNonNull("customers_mode")) {
            hints.put(ReadOptions.CUSTOMERS_MODE, account.get("customers_mode").asText());
        }
        RunContext ctx = new RunContext(spark, lake, config, configSource, client, accountId, serverNow, runId, "ingest",
                out, hints);
        out.printf("ingest %s: account %d (%s) at %s, lake %s, server time %s%s%n", runId.substring(0, 8), accountId,
                account.path("subdomain").asText("?"), amo.baseUrl(), lake.root(), DateTimeFormatter.ISO_INSTANT.format(serverNow),
                options.historical() ? ", historical load from " + options.from() + (options.to() == null ? "" : " to " + options.to()) : "");
        ProbeHints.apply(ctx);

        List<String> enabled = enabledTables(config, options);
        Budget budget = new Budget(options.maxRequests(), options.maxMinutes());
        budget.spent(client.metrics().requests());
        FetchWriteScheduler scheduler = new FetchWriteScheduler(out, budget, config.ingest().windowRows());
        List<Fetched> eventReads = Collections.synchronizedList(new ArrayList<>());
        try {
            references(ctx, scheduler, enabled);
            Map<String, WindowSource> plans = plan(ctx, enabled, options);
            if (options.historical()) {
                estimate(ctx, plans, amo, out);
            }
            for (Map.Entry<String, WindowSource> p : plans.entrySet()) {
                String t = p.getKey();
                WindowSource windows = p.getValue();
                Progress progress = new Progress(out, t, windows, budget);
                if (t.equals("events")) {
                    boolean eventsTable = enabled.contains("events");
                    scheduler.loadWindows(t, windows, w -> {
                        Fetched f = EntityLoad.fetch(ctx, t, w, eventTypes(config, eventsTable, options.historical()));
                        eventReads.add(f);
                        crashMidHistorical(options);
                        return f;
                    }, f -> progress.window(f.windows(), windowWrite(ctx, options, windows, () -> {
                        Journal.Entry e = null;
                        if (eventsTable) {
                            e = EntityLoad.write(ctx, part(f, "events", f.window(), filter(config, "events")));
                        }
                        Journal.Entry h = StatusHistoryLoad.write(ctx, part(f, Tables.LEAD_STATUS_HISTORY, f.window(),
                                "type = '" + StatusHistoryLoad.TYPE + "'"));
                        return e != null ? e : h;
                    })));
                } else {
                    scheduler.loadWindows(t, windows, w -> {
                        Fetched f = EntityLoad.fetch(ctx, t, w, filter(config, t));
                        crashMidHistorical(options);
                        return f;
                    }, f -> progress.window(f.windows(), windowWrite(ctx, options, windows, () -> EntityLoad.write(ctx, f))));
                }
            }
            scheduler.await();
            if (!options.historical() && budget.allowsMore()) {
                // Deletions last: they judge rows by what the lists showed in this run.
                scheduler.current = Tables.DELETIONS;
                IngestWindow deletes = IngestWindow.incremental(ctx.state.get(Tables.DELETIONS), serverNow, config);
                Dataset<Row> events = eventReads.stream().map(Fetched::rows).reduce(Dataset::unionByName).orElse(null);
                if (events != null) {
                    scheduler.done.add(report(out, DeletesLoad.run(ctx, deletes, new HashSet<>(enabled), events,
                            enabled.contains("events") ? 0 : eventReads.stream().mapToLong(f -> f.entry().requests).sum())));
                }
            } else if (!options.historical()) {
                scheduler.skipped.add(Tables.DELETIONS);
            }
            scheduler.current = Tables.SYNC_STATE;
            ctx.state.flush(runId);
            ctx.journalTallies(scheduler.skipped, budget.stoppedBy());
            ctx.journal.flush();
        } catch (RuntimeException e) {
            budget.stop("a failure");
            scheduler.close();
            Journal.Entry failed = new Journal.Entry(scheduler.current == null ? "-" : scheduler.current);
            failed.status = "failed";
            failed.error = Redaction.text(rootMessage(e));
            try {
                // The tables that finished keep their states: their data is committed.
                ctx.state.flush(runId);
                ctx.journalTallies(Set.of(), null);
                ctx.journal.write(failed);
                ctx.journal.flush();
            } catch (RuntimeException journalFailure) {
                LOG.warn("could not journal the failure of {}: {}", scheduler.current, journalFailure.toString());
            }
            throw e;
        } finally {
            scheduler.close();
        }
        List<Journal.Entry> entries = scheduler.done;
        long requests = budget.requests();
        double seconds = (System.nanoTime() - started) / 1e9;
        String partial = budget.stoppedBy();
        out.printf("ingest %s %s: %d table%s, %d rows read, %d requests, %.1f s%s%n", runId.substring(0, 8),
                partial == null ? "done" : "stopped early", enabled.size(), enabled.size() == 1 ? "" : "s", entries.stream().mapToLong(x -> x.rowsRead).sum(),
                requests, seconds, partial == null ? "" : "; " + partial + ": the work done is committed and the next run "
                        + "resumes (" + String.join(", ", new TreeSet<>(scheduler.skipped)) + ")");
        return new Result(runId, accountId, entries, requests, seconds, partial);
    }

    /** Reference tables, whole; lists first, as custom fields of lists and list elements need their ids. */
    private static void references(RunContext ctx, FetchWriteScheduler scheduler, List<String> enabled) {
        boolean lists = enabled.contains("catalogs") || enabled.contains("catalog_elements");
        if (lists) {
            Fetched catalogs = ReferenceLoad.fetch(ctx, "catalogs");
            List<String> ids = new ArrayList<>();
            for (Row r : catalogs.rows().select("id").collectAsList()) {
                ids.add(String.valueOf(r.getLong(0)));
            }
            ctx.readBase.put(ReadOptions.CATALOGS, String.join(",", ids));
            scheduler.write("catalogs", () -> ReferenceLoad.write(ctx, catalogs));
        } else {
            ctx.readBase.put(ReadOptions.CATALOGS, "");
        }
        for (String t : REFERENCE_ORDER) {
            scheduler.load(t, () -> {
                Fetched f = ReferenceLoad.fetch(ctx, t);
                if (t.equals("custom_fields")) {
                    FieldMapping.resolve(ctx, f.rows());
                }
                return f;
            }, f -> ReferenceLoad.write(ctx, f));
        }
    }

    /** Each table's windows; "events" stands for the one events read the events table and the history share. */
    private static Map<String, WindowSource> plan(RunContext ctx, List<String> enabled, Options options) {
        Map<String, WindowSource> plans = new LinkedHashMap<>();
        for (String t : ENTITY_ORDER) {
            if (enabled.contains(t) && !t.equals("events")) {
                plans.put(t, options.historical()
                        ? LoadPlan.historical(ctx.state.get(t), ctx.serverNow, ctx.config, options.from(), options.to(), options.reload())
                        : LoadPlan.incremental(ctx.state.get(t), ctx.serverNow, ctx.config));
            }
        }
        List<String> consumers = new ArrayList<>(List.of(Tables.LEAD_STATUS_HISTORY));
        if (enabled.contains("events")) {
            consumers.add("events");
        }
        WindowSource events;
        if (options.historical()) {
            // The consumer with the least coverage decides; the other re-reads what it has (idempotent).
            SyncState.Entry least = consumers.stream().map(ctx.state::get)
                    .max(Comparator.comparing(e -> e.coverageStart() == null ? Long.MAX_VALUE : e.coverageStart().getEpochSecond()))
                    .orElseThrow();
            events = LoadPlan.historical(least, ctx.serverNow, ctx.config, options.from(), options.to(), options.reload());
        } else {
            consumers.add(Tables.DELETIONS);
            IngestWindow union = IngestWindow.union(consumers.stream()
                    .map(c -> IngestWindow.incremental(ctx.state.get(c), ctx.serverNow, ctx.config)).toArray(IngestWindow[]::new));
            events = LoadPlan.source(union.from(), union.to(), ctx.config, false, false);
        }
        plans.put("events", events);
        return plans;
    }

    /** Prints a historical load's estimate: requests per table (sampled) and the time at the configured rate. */
    private static void estimate(RunContext ctx, Map<String, WindowSource> plans, AmoSettings amo, PrintStream out) {
        long total = 0;
        out.println("  estimate (one sampled request per table; the range assumed as dense as its newest window):");
        for (Map.Entry<String, WindowSource> p : plans.entrySet()) {
            if (!p.getValue().hasNext()) {
                out.printf("    %-22s already loaded%n", p.getKey());
                continue;
            }
            long n = Estimate.requests(ctx.client, p.getKey(), p.getValue(), ctx.config);
            total += n;
            out.printf("    %-22s ~%6d requests%n", p.getKey(), n);
        }
        int rps = amo.unlimited() ? 0 : amo.requestsPerSecond();
        out.printf("    total ~%d requests%s%n", total, rps == 0 ? "" : String.format(", ~%s at %d requests/s",
                Progress.duration((long) Math.ceil(total / (double) rps)), rps));
    }

    /** A window's write; a table read in several windows (or a historical load) commits its watermark after each. */
    private static Journal.Entry windowWrite(RunContext ctx, Options options, WindowSource windows,
                                             Supplier<Journal.Entry> write) {
        Journal.Entry e = write.get();
        if (windows.windows() > 1 || windows.hasNext() || options.historical()) {
            ctx.state.flush(ctx.runId);
        }
        return e;
    }

    private static void crashMidHistorical(Options options) {
        if (options.historical()) {
            CrashPoint.reach(CrashPoint.MID_HISTORICAL);
        }
    }

    /** The tables this run loads: --tables, or tables.&lt;t&gt;.enabled. */
    static List<String> enabledTables(EtlConfig config, Options options) {
        if (options.tables() != null && !options.tables().isEmpty()) {
            for (String t : options.tables()) {
                config.table(t); // names the choices when unknown
            }
            return options.tables();
        }
        List<String> out = new ArrayList<>();
        config.tables().forEach((name, settings) -> {
            if (settings.enabled()) {
                out.add(name);
            }
        });
        return out;
    }

    /**
     * The types the run's one events read asks for: the events table's, the status changes, and
     * the deletion signals; null (every type) when the events table holds every type.
     */
    static String eventTypes(EtlConfig config, boolean eventsTable, boolean historical) {
        if (eventsTable && config.table("events").allTypes()) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        if (eventsTable) {
            types.addAll(config.table("events").types());
        }
        types.add(StatusHistoryLoad.TYPE);
        if (!historical) {
            types.addAll(DeletesLoad.types());
        }
        return "type IN (" + String.join(", ", types.stream().map(x -> "'" + x.replace("'", "''") + "'").toList()) + ")";
    }

    /** A consumer's part of a shared read: its rows, a journal entry of its own, its window. */
    static Fetched part(Fetched shared, String table, IngestWindow window, String filter) {
        Dataset<Row> rows = filter == null ? shared.rows() : shared.rows().where(filter);
        Journal.Entry entry = new Journal.Entry(table);
        entry.windowFrom = window.fromInstant();
        entry.windowTo = window.toInstant();
        entry.rowsRead = rows.count();
        if (table.equals("events")) {
            entry.requests = shared.entry().requests;
            entry.retries = shared.entry().retries;
            entry.tooManyRequests = shared.entry().tooManyRequests;
            entry.limiterWaitMs = shared.entry().limiterWaitMs;
            entry.executorPids = shared.entry().executorPids;
        }
        return new Fetched(table, rows, entry, window, shared.startedNanos());
    }

    /** The table's filter, and for events the types it holds (tables.events.types). */
    static String filter(EtlConfig config, String table) {
        TableSettings t = config.table(table);
        List<String> parts = new ArrayList<>();
        if (t.filter() != null) {
            parts.add("(" + t.filter() + ")");
        }
        if (table.equals("events") && !t.allTypes()) {
            parts.add("type IN (" + String.join(", ", t.types().stream().map(x -> "'" + x.replace("'", "''") + "'").toList()) + ")");
        }
        return parts.isEmpty() ? null : String.join(" AND ", parts);
    }

    static Journal.Entry report(PrintStream out, Journal.Entry e) {
        String window = e.windowFrom == null ? "whole" : DateTimeFormatter.ISO_INSTANT.format(e.windowFrom) + " .. "
                + DateTimeFormatter.ISO_INSTANT.format(e.windowTo);
        synchronized (out) {
            out.printf("  %-22s %-44s %7d read %7d written %5d requests %6.1f s%s%n", e.table, window, e.rowsRead,
                    e.rowsUpserted, e.requests, e.seconds, e.rowsDeleted > 0 ? ", " + e.rowsDeleted + " deleted" : "");
        }
        return e;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof EtlException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
