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
        List<Journal.Entry> entries = new ArrayList<>();
        String current = null;
        try {
            // Lists first: custom fields of lists and list elements need the list ids.
            if (lists) {
                current = "catalogs";
                entries.add(report(out, ReferenceLoad.run(ctx, "catalogs")));
                List<String> ids = new ArrayList<>();
                for (Row r : lake.read("catalogs", accountId).where("NOT is_deleted").select("id").collectAsList()) {
                    ids.add(String.valueOf(r.getLong(0)));
                }
                ctx.readBase.put(ReadOptions.CATALOGS, String.join(",", ids));
            } else {
                ctx.readBase.put(ReadOptions.CATALOGS, "");
            }
            for (String t : REFERENCE_ORDER) {
                current = t;
                entries.add(report(out, ReferenceLoad.run(ctx, t)));
            }
            FieldMapping.resolve(ctx);
            for (String t : ENTITY_ORDER) {
                if (!enabled.contains(t)) {
                    continue;
                }
                current = t;
                IngestWindow window = IngestWindow.incremental(ctx.state.get(t), serverNow, config);
                entries.add(report(out, EntityLoad.run(ctx, t, window, filter(config, t))));
            }
            current = Tables.LEAD_STATUS_HISTORY;
            IngestWindow history = IngestWindow.incremental(ctx.state.get(Tables.LEAD_STATUS_HISTORY), serverNow, config);
            entries.add(report(out, StatusHistoryLoad.run(ctx, history)));
            current = Tables.SYNC_STATE;
            ctx.state.flush(runId);
            ctx.journal.flush();
        } catch (RuntimeException e) {
            Journal.Entry failed = new Journal.Entry(current == null ? "-" : current);
            failed.status = "failed";
            failed.error = io.amocrmetl.api.Redaction.text(rootMessage(e));
            try {
                // The tables that finished keep their states: their data is committed.
                ctx.state.flush(runId);
                ctx.journal.write(failed);
                ctx.journal.flush();
            } catch (RuntimeException journalFailure) {
                LOG.warn("could not journal the failure of {}: {}", current, journalFailure.toString());
            }
            throw e;
        }
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

    private static Journal.Entry report(PrintStream out, Journal.Entry e) {
        String window = e.windowFrom == null ? "whole" : DateTimeFormatter.ISO_INSTANT.format(e.windowFrom) + " .. "
                + DateTimeFormatter.ISO_INSTANT.format(e.windowTo);
        out.printf("  %-22s %-44s %7d read %7d written %5d requests %6.1f s%n", e.table, window, e.rowsRead,
                e.rowsUpserted, e.requests, e.seconds);
        return e;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof EtlException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
