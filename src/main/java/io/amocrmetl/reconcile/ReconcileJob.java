package io.amocrmetl.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.ingest.IngestPath;
import io.amocrmetl.ingest.RunContext;
import io.amocrmetl.ingest.SharedPauses;
import io.amocrmetl.lake.AccountLease;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.state.SyncState;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code reconcile}: proves the lake matches amoCRM, and repairs it. Per table, one list scan over
 * its judged range is compared with the lake as of the server's time when the check began: keys,
 * and for leads the aggregates per period, pipeline, status and tag. Differences are repaired
 * through the ingest path and checked again; exit 5 when something still differs
 * (docs/reconciliation.md).
 */
public final class ReconcileJob {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileJob.class);

    /**
     * @param from --from: a date (the start of that day in the account's time zone) or an instant; null: coverage start
     * @param to --to: a date (its end, inclusive) or an instant; null: the watermark
     * @param granularity null: reconcile.granularity
     * @param repair null: reconcile.repair
     * @param maxRequests null: reconcile.max-requests
     * @param waitForLease with repair, how long to wait for another job holding the account (docs/lakehouse.md)
     */
    public record Options(
            String from, String to, Granularity granularity, Boolean repair, Long maxRequests, Duration waitForLease) {
        public Options(String from, String to, Granularity granularity, Boolean repair, Long maxRequests) {
            this(from, to, granularity, repair, maxRequests, Duration.ZERO);
        }

        public static Options defaults() {
            return new Options(null, null, null, null, null);
        }
    }

    /**
     * What a run found and did.
     *
     * @param differing slices and keys that differed as of the moment
     * @param excluded keys left out because they changed during the check
     * @param partial why work was left for the next run, or null
     */
    public record Result(
            String runId,
            long accountId,
            long differing,
            long repaired,
            long stillDifferent,
            long excluded,
            long requests,
            double seconds,
            String partial,
            ExitCode exitCode) {}

    private ReconcileJob() {}

    public static Result run(
            SparkSession spark, EtlConfig config, Map<String, String> configSource, Options options, PrintStream out) {
        // A block or pause a run on another host met stops this one too (docs/api-client.md).
        SharedPauses shared = SharedPauses.of(
                Lake.readOnly(spark, config.lakePath()),
                ClientSettings.from(config.amocrm().requireAuth()));
        shared.pull();
        try {
            return check(spark, config, configSource, options, out);
        } finally {
            shared.push();
        }
    }

    private static Result check(
            SparkSession spark, EtlConfig config, Map<String, String> configSource, Options options, PrintStream out) {
        long started = System.nanoTime();
        AmoSettings amo = config.amocrm().requireAuth();
        AmoClient client = AmoClient.connect(amo, Clock.systemUTC());
        JsonNode account = client.getObject("/api/v4/account?with=datetime_settings");
        if (account == null || !account.hasNonNull("id")) {
            throw new EtlException(ExitCode.UNEXPECTED, "GET /api/v4/account returned no account id");
        }
        long accountId = account.get("id").asLong();
        // The moment both sides are judged at: the server's time when the check began (time
        // comes from the server, never the local clock: docs/lakehouse.md).
        Instant serverNow = client.firstServerDate() != null ? client.firstServerDate() : Instant.now();
        ZoneId zone = zone(account, out);
        Granularity granularity = options.granularity() != null
                ? options.granularity()
                : Granularity.parse(config.reconcile().granularity(), "reconcile.granularity");
        boolean repair =
                options.repair() != null ? options.repair() : config.reconcile().repair();
        Long max = options.maxRequests() != null
                ? options.maxRequests()
                : config.reconcile().maxRequests();
        Periods labels = new Periods(zone, granularity);
        Instant from = options.from() == null ? null : RangeArgs.bound(options.from(), zone, false, "--from");
        Instant to = options.to() == null ? null : RangeArgs.bound(options.to(), zone, true, "--to");

        Lake lake = Lake.open(spark, config.lakePath());
        String runId = UUID.randomUUID().toString();
        // Repairs write the account's tables and state: one writer per account (docs/lakehouse.md,
        // "One writer per account"). A report alone appends only its own rows.
        try (AccountLease lease = repair
                ? AccountLease.acquire(
                        lake, accountId, "reconcile", runId, config.leaseExpiry(), options.waitForLease(), out)
                : null) {
            // Waiting for the lease moved the server's clock on as much as ours.
            serverNow = lease == null ? serverNow : serverNow.plus(lease.waited());
            long moment = serverNow.getEpochSecond();
            SyncState state = new SyncState(lake, accountId);
            // Every range first: a refused one stops the run before any scan.
            Map<String, JudgedRange> ranges = new LinkedHashMap<>();
            Map<String, String> skipped = new LinkedHashMap<>();
            for (String t : config.reconcile().tables()) {
                if (!config.table(t).enabled()) {
                    skipped.put(t, "not enabled (tables." + t + ".enabled)");
                    continue;
                }
                JudgedRange r = JudgedRange.of(t, state.get(t), from, to);
                if (r == null) {
                    skipped.put(t, "nothing loaded to judge");
                } else {
                    ranges.put(t, r);
                }
            }
            RunContext ctx = IngestPath.context(
                    spark, lake, config, configSource, client, account, serverNow, runId, "reconcile", out);
            RequestBudget budget = new RequestBudget(max);
            budget.spend(client.metrics().requests());
            ApiSide api = new ApiSide(
                    ctx,
                    config,
                    !account.has("is_api_filter_enabled")
                            || account.get("is_api_filter_enabled").asBoolean(true));
            out.printf(
                    "reconcile %s: account %d (%s), lake %s, as of %s (server time), periods by %s in %s, %s%s%n",
                    runId.substring(0, 8),
                    accountId,
                    account.path("subdomain").asText("?"),
                    lake.root(),
                    serverNow,
                    granularity,
                    zone.getId(),
                    repair ? "repairing" : "report only (--no-repair)",
                    max == null ? "" : ", at most " + max + " requests");
            skipped.forEach((t, why) -> out.printf("  %-10s skipped: %s%n", t, why));
            Run steps = new Run(
                    config,
                    lake,
                    state,
                    accountId,
                    runId,
                    moment,
                    labels,
                    budget,
                    api,
                    new LakeSide(lake, accountId),
                    skipped,
                    out);
            try {
                steps.check(ranges);
                steps.judge();
                if (repair) {
                    steps.repair(ctx);
                }
                steps.record();
            } catch (RuntimeException e) {
                steps.failed(e, started);
                throw e;
            }
            List<TableCheck> checks = steps.checks;
            long differing = checks.stream()
                    .mapToLong(c -> c.slices.size() + c.mismatches.size())
                    .sum();
            long repaired =
                    checks.stream().mapToLong(c -> c.count(Status.REPAIRED)).sum();
            long still = checks.stream()
                    .mapToLong(c -> c.count(Status.STILL_DIFFERENT))
                    .sum();
            long unrepaired =
                    checks.stream().mapToLong(c -> c.count(Status.MISMATCH)).sum();
            long excluded = checks.stream().mapToLong(c -> c.excluded.size()).sum();
            double seconds = (System.nanoTime() - started) / 1e9;
            steps.journal(seconds);
            Report.print(out, checks, labels);
            ExitCode code = still > 0 || (!repair && unrepaired > 0)
                    ? ExitCode.DATA_CHECK_FAILED
                    : unrepaired > 0 || budget.stoppedBy() != null ? ExitCode.PARTIAL : ExitCode.OK;
            out.printf(
                    "reconcile %s %s: %d difference%s (%s), %d changed during the check and left out; %d requests, %.1f s%s%n",
                    runId.substring(0, 8),
                    code == ExitCode.OK ? "done" : code == ExitCode.PARTIAL ? "stopped early" : "failed",
                    differing,
                    differing == 1 ? "" : "s",
                    repair
                            ? repaired + " repaired, " + still + " still different"
                                    + (unrepaired > 0 ? ", " + unrepaired + " not repaired" : "")
                            : "not repaired: --no-repair",
                    excluded,
                    budget.spent(),
                    seconds,
                    budget.stoppedBy() == null ? "" : "; " + budget.stoppedBy() + ": the next run goes on");
            return new Result(
                    runId,
                    accountId,
                    differing,
                    repaired,
                    still,
                    excluded,
                    budget.spent(),
                    seconds,
                    budget.stoppedBy(),
                    code);
        }
    }

    /** The account's time zone ({@code datetime_settings}, docs/amocrm-api.md §2.4); UTC, with a warning, when it has none. */
    static ZoneId zone(JsonNode account, PrintStream out) {
        String tz = account.path("_embedded")
                .path("datetime_settings")
                .path("timezone")
                .asText("");
        try {
            return ZoneId.of(tz);
        } catch (RuntimeException e) {
            String msg = "the account reports no usable time zone ('" + tz + "'); periods are UTC days";
            LOG.warn(msg);
            out.println("  warning: " + msg);
            return ZoneOffset.UTC;
        }
    }

    /** Where the rotation stopped last time ({@code _sync_state.reconcile_cursor}, an instant), or null. */
    static Long cursor(SyncState.Entry state) {
        String c = state.reconcileCursor();
        if (c == null || c.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(c.trim()).getEpochSecond();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
