package io.amocrmetl.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.api.Redaction;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.AccountLease;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.WriteConflicts;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.state.Journal;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ingest}: brings the lake up to date with the CRM (docs/command-line.md). Reference
 * tables first (refreshed whole), then every enabled entity table over its window, then the
 * status history ({@link TableLoads}). Each table's work commits on its own; a failure stops the
 * run with the work done kept, and the next run resumes from each table's watermark.
 */
public final class IngestJob {
    private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

    /**
     * @param tables tables to load this run instead of {@code tables.<t>.enabled} (null: the config's)
     * @param from a historical load from this instant ({@code --from}); null for an incremental run
     * @param to the historical load's end ({@code --to}); null: now
     * @param reload read the historical range even where coverage already holds it
     * @param maxRequests stop at a window boundary after this many requests (null: no limit)
     * @param maxMinutes stop at a window boundary after this many minutes (null: no limit)
     * @param waitForLease how long to wait for another run that holds the account's lease ({@code --wait});
     *     zero: exit 7 (busy) at once
     */
    public record Options(
            List<String> tables,
            Instant from,
            Instant to,
            boolean reload,
            Long maxRequests,
            Long maxMinutes,
            Duration waitForLease) {
        public Options(List<String> tables) {
            this(tables, null, null, false, null, null);
        }

        public Options(
                List<String> tables, Instant from, Instant to, boolean reload, Long maxRequests, Long maxMinutes) {
            this(tables, from, to, reload, maxRequests, maxMinutes, Duration.ZERO);
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
    public record Result(
            String runId, long accountId, List<Journal.Entry> entries, long requests, double seconds, String partial) {
        public ExitCode exitCode() {
            return partial == null ? ExitCode.OK : ExitCode.PARTIAL;
        }
    }

    private IngestJob() {}

    /**
     * @param configSource the reader options that name the same configuration (its file and overrides)
     */
    public static Result run(
            SparkSession spark, EtlConfig config, Map<String, String> configSource, Options options, PrintStream out) {
        long started = System.nanoTime();
        AmoSettings amo = config.amocrm().requireAuth();
        // A block or pause a run on another host met stops this one too (docs/api-client.md).
        SharedPauses shared = SharedPauses.of(Lake.readOnly(spark, config.lakePath()), ClientSettings.from(amo));
        shared.pull();
        try {
            Connected c = connect(spark, config, configSource, amo, options, out);
            try (AccountLease lease = c.lease()) {
                return load(c.ctx(), config, options, amo, started);
            }
        } finally {
            shared.push();
        }
    }

    /** A run's context, and the account's lease it holds to the end. */
    private record Connected(RunContext ctx, AccountLease lease) {}

    private static Result load(RunContext ctx, EtlConfig config, Options options, AmoSettings amo, long started) {
        PrintStream out = ctx.out;
        List<String> enabled = enabledTables(config, options);
        Budget budget = new Budget(options.maxRequests(), options.maxMinutes());
        budget.spent(ctx.client.metrics().requests());
        FetchWriteScheduler scheduler =
                new FetchWriteScheduler(out, budget, config.ingest().windowRows());
        try {
            new TableLoads(ctx, options, scheduler, budget).load(enabled, amo);
            scheduler.current = Tables.SYNC_STATE;
            ctx.state.flush(ctx.runId);
            ctx.journalTallies(scheduler.skipped, budget.stoppedBy());
            ctx.journal.flush();
        } catch (RuntimeException e) {
            budget.stop("a failure");
            scheduler.close();
            RuntimeException failure = WriteConflicts.isConflict(e)
                    ? WriteConflicts.explain("ingest", String.valueOf(scheduler.current), ctx.accountId, e)
                    : e;
            journalFailure(ctx, scheduler, failure);
            throw failure;
        } finally {
            scheduler.close();
        }
        return summary(ctx, enabled, scheduler, budget, started);
    }

    /**
     * Asks the account who it is and builds the run's context: the account's read hints, the
     * server's clock, the run id; prints the run's header and probes the reader's hints.
     */
    private static Connected connect(
            SparkSession spark,
            EtlConfig config,
            Map<String, String> configSource,
            AmoSettings amo,
            Options options,
            PrintStream out) {
        AmoClient client = AmoClient.connect(amo, Clock.systemUTC());
        JsonNode account = client.getObject("/api/v4/account?with=datetime_settings");
        if (account == null || !account.hasNonNull("id")) {
            throw new EtlException(ExitCode.UNEXPECTED, "GET /api/v4/account returned no account id");
        }
        long accountId = account.get("id").asLong();
        Instant serverNow = client.firstServerDate() != null ? client.firstServerDate() : Instant.now();
        Lake lake = Lake.open(spark, config.lakePath());
        String runId = UUID.randomUUID().toString();
        // One writer per account, from before the run reads its state to the end (docs/lakehouse.md,
        // "One writer per account").
        long asked = System.nanoTime();
        AccountLease lease = AccountLease.acquire(
                lake, accountId, "ingest", runId, config.leaseExpiry(), options.waitForLease(), out);
        // After waiting for another run, the server's clock has moved on by as much.
        serverNow = serverNow.plusNanos(System.nanoTime() - asked);
        try {
            return new Connected(
                    context(spark, config, configSource, amo, options, out, client, account, lake, runId, serverNow),
                    lease);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    private static RunContext context(
            SparkSession spark,
            EtlConfig config,
            Map<String, String> configSource,
            AmoSettings amo,
            Options options,
            PrintStream out,
            AmoClient client,
            JsonNode account,
            Lake lake,
            String runId,
            Instant serverNow) {
        long accountId = account.get("id").asLong();
        Map<String, String> hints = new LinkedHashMap<>();
        hints.put(
                ReadOptions.API_FILTERS,
                String.valueOf(!account.has("is_api_filter_enabled")
                        || account.get("is_api_filter_enabled").asBoolean(true)));
        if (account.hasNonNull("customers_mode")) {
            hints.put(ReadOptions.CUSTOMERS_MODE, account.get("customers_mode").asText());
        }
        RunContext ctx = new RunContext(
                spark, lake, config, configSource, client, accountId, serverNow, runId, "ingest", out, hints);
        out.printf(
                "ingest %s: account %d (%s) at %s, lake %s, server time %s%s%n",
                runId.substring(0, 8),
                accountId,
                account.path("subdomain").asText("?"),
                amo.baseUrl(),
                lake.root(),
                DateTimeFormatter.ISO_INSTANT.format(serverNow),
                options.historical()
                        ? ", historical load from " + options.from()
                                + (options.to() == null ? "" : " to " + options.to())
                        : "");
        ProbeHints.apply(ctx);
        return ctx;
    }

    /** Journals a failed run; the tables that finished keep their states: their data is committed. */
    private static void journalFailure(RunContext ctx, FetchWriteScheduler scheduler, RuntimeException e) {
        Journal.Entry failed = new Journal.Entry(scheduler.current == null ? "-" : scheduler.current);
        failed.status = "failed";
        failed.error = Redaction.text(rootMessage(e));
        try {
            ctx.state.flush(ctx.runId);
            ctx.journalTallies(Set.of(), null);
            ctx.journal.write(failed);
            ctx.journal.flush();
        } catch (RuntimeException journalFailure) {
            LOG.warn("could not journal the failure of {}: {}", scheduler.current, journalFailure.toString());
        }
    }

    /** Prints the run's summary line and returns what the run did. */
    private static Result summary(
            RunContext ctx, List<String> enabled, FetchWriteScheduler scheduler, Budget budget, long started) {
        List<Journal.Entry> entries = scheduler.done;
        long requests = budget.requests();
        double seconds = (System.nanoTime() - started) / 1e9;
        String partial = budget.stoppedBy();
        ctx.out.printf(
                "ingest %s %s: %d table%s, %d rows read, %d requests, %.1f s%s%n",
                ctx.runId.substring(0, 8),
                partial == null ? "done" : "stopped early",
                enabled.size(),
                enabled.size() == 1 ? "" : "s",
                entries.stream().mapToLong(x -> x.rowsRead).sum(),
                requests,
                seconds,
                partial == null
                        ? ""
                        : "; " + partial + ": the work done is committed and the next run " + "resumes ("
                                + String.join(", ", new TreeSet<>(scheduler.skipped)) + ")");
        return new Result(ctx.runId, ctx.accountId, entries, requests, seconds, partial);
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

    /** Prints a table's (or a window's) line of the run's report. */
    static Journal.Entry report(PrintStream out, Journal.Entry e) {
        String window = e.windowFrom == null
                ? "whole"
                : DateTimeFormatter.ISO_INSTANT.format(e.windowFrom) + " .. "
                        + DateTimeFormatter.ISO_INSTANT.format(e.windowTo);
        synchronized (out) {
            out.printf(
                    "  %-22s %-44s %7d read %7d written %5d requests %6.1f s%s%n",
                    e.table,
                    window,
                    e.rowsRead,
                    e.rowsUpserted,
                    e.requests,
                    e.seconds,
                    e.rowsDeleted > 0 ? ", " + e.rowsDeleted + " deleted" : "");
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
