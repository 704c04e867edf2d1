package io.amocrmetl.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.Redaction;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.config.RetentionSettings;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.AccountLease;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.state.Journal;
import io.amocrmetl.state.SyncState;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code retention}: deletes each ruled table's rows older than N days with their child rows,
 * records the cut-offs in {@code _sync_state}, then maintains the lake (docs/retention.md). The
 * cut-off is N days before the server's time, so it agrees with the timestamps ingest wrote.
 * Cut-offs are recorded first, so ingest keeps older rows out even if the run dies before deleting
 * them; every later step is idempotent and a rerun finishes the work.
 */
public final class RetentionJob {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    /**
     * @param dryRun report what would go and what maintenance would do; change nothing
     * @param waitForLease how long to wait for another job holding the account (docs/lakehouse.md)
     */
    public record Options(boolean dryRun, Duration waitForLease) {
        public Options(boolean dryRun) {
            this(dryRun, Duration.ZERO);
        }
    }

    /**
     * What a run did (or would do).
     *
     * @param cutoffs per ruled table, its cut-off
     * @param rows per table (children before their parent), the rows deleted (or that would be)
     * @param maintenance per maintained table, what was done (or would be)
     */
    public record Result(
            String runId,
            long accountId,
            boolean dryRun,
            Map<String, Instant> cutoffs,
            Map<String, Long> rows,
            Map<String, String> maintenance,
            long bytesBefore,
            long bytesAfter) {}

    private RetentionJob() {}

    public static Result run(SparkSession spark, EtlConfig config, Options options, PrintStream out) {
        AmoSettings amo = config.amocrm().requireAuth();
        AmoClient client = AmoClient.connect(amo, Clock.systemUTC());
        JsonNode account = client.getObject(Entities.get(Tables.ACCOUNT).path());
        if (account == null || !account.hasNonNull("id")) {
            throw new EtlException(ExitCode.UNEXPECTED, "GET /api/v4/account returned no account id");
        }
        Instant serverNow = client.firstServerDate() != null ? client.firstServerDate() : Instant.now();
        return run(spark, config, account.get("id").asLong(), serverNow, options, out);
    }

    /** The run for a known account at a known server time. */
    static Result run(
            SparkSession spark, EtlConfig config, long accountId, Instant now, boolean dryRun, PrintStream out) {
        return run(spark, config, accountId, now, new Options(dryRun), out);
    }

    private static Result run(
            SparkSession spark, EtlConfig config, long accountId, Instant now, Options options, PrintStream out) {
        boolean dryRun = options.dryRun();
        Lake lake = Lake.readOnly(spark, config.lakePath());
        if (!lake.exists(Tables.get(Tables.LAKE_META))) {
            throw new EtlException(ExitCode.BAD_CONFIG, "no lake at " + lake.root() + ": run ingest first");
        }
        if (dryRun) {
            lake.checkLayout(false); // a lake newer than this binary is refused even for reading
        } else {
            lake = Lake.open(spark, config.lakePath());
        }
        String runId = UUID.randomUUID().toString();
        // A dry run changes nothing, so it needs no lease (docs/lakehouse.md, "One writer per account").
        try (AccountLease lease = dryRun
                ? null
                : AccountLease.acquire(
                        lake, accountId, "retention", runId, config.leaseExpiry(), options.waitForLease(), out)) {
            return cut(config, lake, accountId, lease == null ? now : now.plus(lease.waited()), dryRun, runId, out);
        }
    }

    /** Deletes by the rules and maintains the lake, holding the account's lease (unless a dry run). */
    private static Result cut(
            EtlConfig config, Lake lake, long accountId, Instant now, boolean dryRun, String runId, PrintStream out) {
        RetentionSettings settings = config.retention();
        out.printf(
                "retention %s%s: account %d, lake %s, server time %s%n",
                runId.substring(0, 8), dryRun ? " (dry run: " + "nothing changes)" : "", accountId, lake.root(), now);
        if (settings.vacuumHours() < RetentionSettings.DELTA_SAFE_VACUUM_HOURS) {
            String warning =
                    "warning: retention.vacuum-force: VACUUM keeps removed files only " + settings.vacuumHours()
                            + " h, below Delta's safety default of " + RetentionSettings.DELTA_SAFE_VACUUM_HOURS
                            + " h; readers of "
                            + "older versions, time travel and writers running meanwhile may fail";
            out.println("  " + warning);
            LOG.warn(warning);
        }
        LakeFiles files = new LakeFiles(lake);
        long bytesBefore = files.bytes();
        SyncState state = new SyncState(lake, accountId);
        Journal journal =
                new Journal(lake, accountId, runId, "retention", config.amocrm().sourceName());
        Map<String, Journal.Entry> entries = new LinkedHashMap<>();
        String current = Tables.SYNC_STATE;
        try {
            List<RetentionPlan.Cut> cuts = RetentionPlan.cuts(settings, now);
            if (cuts.isEmpty()) {
                out.println("  no retention rules (retention.tables): nothing is deleted");
            }
            record(state, cuts, settings, dryRun, runId, out);
            AgeDeletes deletes = new AgeDeletes(lake, files, accountId);
            Map<String, Instant> cutoffs = new LinkedHashMap<>();
            Map<String, Long> rows = new LinkedHashMap<>();
            for (RetentionPlan.Cut cut : cuts) {
                current = cut.table();
                cutoffs.put(cut.table(), cut.cutoff());
                long started = System.nanoTime();
                Map<String, Long> n = dryRun ? deletes.count(cut) : deletes.delete(cut);
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf(
                        "  %-26s %s: %d rows %s (%.1f s)%n",
                        cut.table(), cut.describe(), n.get(cut.table()), dryRun ? "would go" : "deleted", seconds);
                for (Map.Entry<String, Long> e : n.entrySet()) {
                    rows.put(e.getKey(), e.getValue());
                    Journal.Entry j = entries.computeIfAbsent(e.getKey(), Journal.Entry::new);
                    j.rowsDeleted = e.getValue();
                    j.windowTo = cut.cutoff();
                    j.seconds = seconds;
                    j.details = e.getKey().equals(cut.table())
                            ? cut.describe()
                            : "with " + cut.table() + " " + cut.describe();
                    if (!e.getKey().equals(cut.table())) {
                        out.printf("    %-24s %d rows %s%n", e.getKey(), e.getValue(), dryRun ? "would go" : "deleted");
                    }
                }
            }
            current = "maintenance";
            Maintenance maintenance = new Maintenance(lake, accountId, settings, dryRun);
            Set<String> changed = new LinkedHashSet<>();
            rows.forEach((t, n) -> {
                if (n > 0 && !dryRun) {
                    changed.add(t);
                }
            });
            Map<String, String> done = new LinkedHashMap<>();
            out.printf(
                    "  maintenance%s (OPTIMIZE after %d small files, VACUUM at %d h, log kept %d days, checkpoints):%n",
                    dryRun ? ", planned" : "", settings.optimizeMinFiles(), settings.vacuumHours(), settings.logDays());
            for (Maintenance.Report r : maintenance.run(changed)) {
                if (r.actions().isEmpty()) {
                    continue;
                }
                done.put(r.table(), r.describe());
                out.printf(
                        "    %-26s %s%s (%.1f s)%n",
                        r.table(),
                        r.describe(),
                        dryRun
                                ? ""
                                : "; " + MaintenancePlan.bytes(r.bytesBefore()) + " → "
                                        + MaintenancePlan.bytes(r.bytesAfter()),
                        r.seconds());
                Journal.Entry j = entries.computeIfAbsent(r.table(), Journal.Entry::new);
                j.seconds += r.seconds();
                j.details = j.details == null ? r.describe() : j.details + "; " + r.describe();
            }
            if (done.isEmpty()) {
                out.println("    nothing to do");
            }
            long bytesAfter = dryRun ? bytesBefore : files.bytes();
            out.printf(
                    "  bytes on disk: %s%s%n",
                    MaintenancePlan.bytes(bytesBefore),
                    dryRun ? "" : " before, " + MaintenancePlan.bytes(bytesAfter) + " after");
            if (!dryRun) {
                current = Tables.JOURNAL;
                entries.values().forEach(journal::write);
                journal.flush();
            }
            out.printf(
                    "retention %s %s: %d rows %s in %d tables%n",
                    runId.substring(0, 8),
                    dryRun ? "dry run done" : "done",
                    rows.values().stream().mapToLong(Long::longValue).sum(),
                    dryRun ? "would go" : "deleted",
                    rows.values().stream().filter(x -> x > 0).count());
            return new Result(runId, accountId, dryRun, cutoffs, rows, done, bytesBefore, bytesAfter);
        } catch (RuntimeException e) {
            if (!dryRun) {
                Journal.Entry failed = new Journal.Entry(current);
                failed.status = "failed";
                failed.error = Redaction.text(String.valueOf(e.getMessage()));
                try {
                    entries.values().forEach(journal::write);
                    journal.write(failed);
                    journal.flush();
                } catch (RuntimeException journalFailure) {
                    LOG.warn("could not journal the failure of {}: {}", current, journalFailure.toString());
                }
            }
            throw e;
        }
    }

    /** Records the run's cut-offs, and lifts those of rules removed since, before anything is deleted. */
    private static void record(
            SyncState state,
            List<RetentionPlan.Cut> cuts,
            RetentionSettings settings,
            boolean dryRun,
            String runId,
            PrintStream out) {
        List<SyncState.Entry> lifted = RetentionPlan.lifted(settings, state::get);
        for (SyncState.Entry e : lifted) {
            out.printf(
                    "  %-26s no rule now: the cut-off %s of an earlier run %s%n",
                    e.table(), state.get(e.table()).retentionCutoff(), dryRun ? "would be lifted" : "is lifted");
        }
        if (dryRun) {
            return;
        }
        for (RetentionPlan.Cut cut : cuts) {
            state.stage(RetentionPlan.recorded(state.get(cut.table()), cut.cutoff()));
        }
        lifted.forEach(state::stage);
        state.flush(runId);
    }
}
