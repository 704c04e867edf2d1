package io.amocrmetl.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.cli.EtlException;
import io.amocrmetl.cli.ExitCode;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.config.TableSettings;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.Tables;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.state.Journal;
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
     */
    public record Options(List<String> tables) {
    }

    /** What a run did, for the command's summary and the tests. */
    public record Result(String runId, long accountId, List<Journal.Entry> entries, long requests, double seconds) {
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
        AmoClient client = new AmoClient(amo.clientSettings(), amo.auth(Clock.systemUTC()));
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
        out.printf("ingest %s: account %d (%s) at %s, lake %s, server time %s%n", runId.substring(0, 8), accountId,
                account.path("subdomain").asText("?"), amo.baseUrl(), lake.root(), DateTimeFormatter.ISO_INSTANT.format(serverNow));

        List<String> enabled = enabledTables(config, options);
        boolean lists = enabled.contains("catalogs") || enabled.contains("catalog_elements");
        Pipeline pipeline = new Pipeline(out);
        try {
            // Lists first: custom fields of lists and list elements need the list ids.
            if (lists) {
                Fetched catalogs = ReferenceLoad.fetch(ctx, "catalogs");
                List<String> ids = new ArrayList<>();
                for (Row r : catalogs.rows().select("id").collectAsList()) {
                    ids.add(String.valueOf(r.getLong(0)));
                }
                ctx.readBase.put(ReadOptions.CATALOGS, String.join(",", ids));
                pipeline.write("catalogs", () -> ReferenceLoad.write(ctx, catalogs));
            } else {
                ctx.readBase.put(ReadOptions.CATALOGS, "");
            }
            for (String t : REFERENCE_ORDER) {
                pipeline.load(t, () -> {
                    Fetched f = ReferenceLoad.fetch(ctx, t);
                    if (t.equals("custom_fields")) {
                        FieldMapping.resolve(ctx, f.rows());
                    }
                    return f;
                }, f -> ReferenceLoad.write(ctx, f));
            }
            for (String t : ENTITY_ORDER) {
                if (enabled.contains(t) && !t.equals("events")) {
                    IngestWindow window = IngestWindow.incremental(ctx.state.get(t), serverNow, config);
                    pipeline.load(t, () -> EntityLoad.fetch(ctx, t, window, filter(config, t)), f -> EntityLoad.write(ctx, f));
                }
            }
            // One events read serves the events table, the status history and the deletions.
            boolean eventsTable = enabled.contains("events");
            IngestWindow events = eventsTable ? IngestWindow.incremental(ctx.state.get("events"), serverNow, config) : null;
            IngestWindow history = IngestWindow.incremental(ctx.state.get(Tables.LEAD_STATUS_HISTORY), serverNow, config);
            IngestWindow deletes = IngestWindow.incremental(ctx.state.get(Tables.DELETIONS), serverNow, config);
            Fetched[] shared = new Fetched[1];
            pipeline.load("events", () -> {
                shared[0] = EntityLoad.fetch(ctx, "events", IngestWindow.union(events, history, deletes),
                        eventTypes(config, eventsTable));
                return shared[0];
            }, f -> {
                if (eventsTable) {
                    return EntityLoad.write(ctx, part(f, "events", events, filter(config, "events")));
                }
                return null;
            });
            pipeline.write(Tables.LEAD_STATUS_HISTORY, () -> StatusHistoryLoad.write(ctx, part(pipeline.fetched("events"),
                    Tables.LEAD_STATUS_HISTORY, history, "type = '" + StatusHistoryLoad.TYPE + "'")));
            pipeline.await();
            // Deletions last: they judge rows by what the lists showed in this run.
            pipeline.current = Tables.DELETIONS;
            pipeline.done.add(report(out, DeletesLoad.run(ctx, deletes, new java.util.HashSet<>(enabled), shared[0].rows(),
                    eventsTable ? 0 : shared[0].entry().requests)));
            pipeline.current = Tables.SYNC_STATE;
            ctx.state.flush(runId);
            ctx.journal.flush();
        } catch (RuntimeException e) {
            pipeline.close();
            Journal.Entry failed = new Journal.Entry(pipeline.current == null ? "-" : pipeline.current);
            failed.status = "failed";
            failed.error = io.amocrmetl.api.Redaction.text(rootMessage(e));
            try {
                // The tables that finished keep their states: their data is committed.
                ctx.state.flush(runId);
                ctx.journal.write(failed);
                ctx.journal.flush();
            } catch (RuntimeException journalFailure) {
                LOG.warn("could not journal the failure of {}: {}", pipeline.current, journalFailure.toString());
            }
            throw e;
        } finally {
            pipeline.close();
        }
        List<Journal.Entry> entries = pipeline.done;
        long requests = entries.stream().mapToLong(x -> x.requests).sum() + 1;
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("ingest %s done: %d tables, %d rows read, %d requests, %.1f s%n", runId.substring(0, 8), entries.size(),
                entries.stream().mapToLong(x -> x.rowsRead).sum(), requests, seconds);
        return new Result(runId, accountId, entries, requests, seconds);
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
    static String eventTypes(EtlConfig config, boolean eventsTable) {
        if (eventsTable && config.table("events").allTypes()) {
            return null;
        }
        java.util.Set<String> types = new java.util.LinkedHashSet<>();
        if (eventsTable) {
            types.addAll(config.table("events").types());
        }
        types.add(StatusHistoryLoad.TYPE);
        types.addAll(DeletesLoad.types());
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
