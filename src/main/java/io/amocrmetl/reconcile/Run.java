package io.amocrmetl.reconcile;

import io.amocrmetl.api.PageSizes;
import io.amocrmetl.api.Redaction;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.ingest.RunContext;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.state.Journal;
import io.amocrmetl.state.SyncState;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.functions;

/**
 * One reconcile run's steps, in order (docs/reconciliation.md): scan every table's periods that fit
 * the budget, judge the differences as of the moment, repair, and record the results, the
 * rotation cursors and the journal.
 */
final class Run {
    /** Requests kept back from the scans of a budgeted run, for the re-reads by id and the repairs (a tenth). */
    static final int RESERVE_SHARE = 10;

    private final EtlConfig config;
    private final Lake lake;
    private final SyncState state;
    private final long accountId;
    private final String runId;
    private final long moment;
    private final Periods labels;
    private final RequestBudget budget;
    private final ApiSide api;
    private final LakeSide lakeSide;
    private final Map<String, String> skipped;
    private final PrintStream out;
    final List<TableCheck> checks = new ArrayList<>();
    private final Map<String, Long> cursors = new LinkedHashMap<>();
    private Set<String> signalled = Set.of();

    Run(
            EtlConfig config,
            Lake lake,
            SyncState state,
            long accountId,
            String runId,
            long moment,
            Periods labels,
            RequestBudget budget,
            ApiSide api,
            LakeSide lakeSide,
            Map<String, String> skipped,
            PrintStream out) {
        this.config = config;
        this.lake = lake;
        this.state = state;
        this.accountId = accountId;
        this.runId = runId;
        this.moment = moment;
        this.labels = labels;
        this.budget = budget;
        this.api = api;
        this.lakeSide = lakeSide;
        this.skipped = skipped;
        this.out = out;
    }

    /** Scans each table over its range, or (with a budget) over the periods that fit its share, from its cursor. */
    void check(Map<String, JudgedRange> ranges) {
        long reserve = budget.limited() ? Math.max(2, budget.max() / RESERVE_SHARE) : 0;
        int left = ranges.size();
        for (Map.Entry<String, JudgedRange> e : ranges.entrySet()) {
            String t = e.getKey();
            JudgedRange r = e.getValue();
            List<Period> periods = labels.split(r.from(), r.to());
            Rotation.Plan plan;
            if (budget.limited()) {
                Map<String, Long> perPeriod = lakeSide.rowsPerPeriod(t, r.from(), r.to(), labels);
                long[] rows = periods.stream()
                        .mapToLong(p -> perPeriod.getOrDefault(p.label(), 0L))
                        .toArray();
                long share = Math.max(0, budget.left() - reserve) / left;
                plan = Rotation.plan(periods, rows, ReconcileJob.cursor(state.get(t)), PageSizes.DEFAULT, share);
            } else {
                plan = Rotation.plan(periods, new long[periods.size()], null, PageSizes.DEFAULT, null);
            }
            left--;
            if (plan.empty()) {
                skipped.put(
                        t,
                        "the budget does not fit one period ("
                                + periods.get(plan.first()).label() + "); raise "
                                + "--max-requests or choose a finer --granularity");
                budget.stop("--max-requests " + budget.max() + " does not fit one period of " + t);
                out.printf("  %-10s skipped: %s%n", t, skipped.get(t));
                continue;
            }
            TableCheck c = new TableCheck(t, periods.subList(plan.first(), plan.last() + 1));
            c.scan(api, lakeSide, moment);
            budget.spend(c.requests);
            checks.add(c);
            if (budget.limited()) {
                cursors.put(t, plan.nextCursor());
            }
        }
    }

    /**
     * Judges every table's differences. The events since the moment are read once, after every
     * re-read, so a change made while any list was read is named if it left no trace in updated_at.
     */
    void judge() {
        long before = api.requests();
        signalled = checks.stream().anyMatch(TableCheck::hasDiffs) ? api.signalledSince(moment) : Set.of();
        budget.spend(api.requests() - before);
        for (TableCheck c : checks) {
            c.judge(lakeSide, labels, moment, signalled);
        }
    }

    void repair(RunContext ctx) {
        Repair fix = new Repair(ctx, lake, api, lakeSide, labels, moment, budget);
        for (TableCheck c : checks) {
            if (!c.mismatches.isEmpty() || !c.slices.isEmpty()) {
                fix.run(c, signalled);
            }
        }
    }

    /** Appends the results to {@code _reconciliation} and moves the rotation cursors. */
    void record() {
        Report.write(lake, accountId, runId, moment, checks, labels);
        cursors.forEach(this::saveCursor);
    }

    /**
     * Moves a table's rotation cursor, and nothing else of its state: an UPDATE of one column, so
     * it can never roll back a watermark an ingest moved meanwhile.
     */
    private void saveCursor(String table, Long next) {
        lake.delta(Tables.SYNC_STATE)
                .update(
                        functions.expr("account_id = " + accountId + " AND table_name = '" + table + "'"),
                        Map.of(
                                "reconcile_cursor",
                                next == null
                                        ? functions.lit(null).cast("string")
                                        : functions.lit(
                                                Instant.ofEpochSecond(next).toString())));
    }

    /** One {@code _journal} row per table, and the run's summary as the {@code _reconciliation} row. */
    void journal(double seconds) {
        Journal journal =
                new Journal(lake, accountId, runId, "reconcile", config.amocrm().sourceName());
        Journal.Entry summary = new Journal.Entry(Tables.RECONCILIATION);
        Status overall = Status.OK;
        for (TableCheck c : checks) {
            Journal.Entry e = new Journal.Entry(c.table);
            e.windowFrom = Instant.ofEpochSecond(c.from);
            e.windowTo = Instant.ofEpochSecond(c.to);
            e.status = c.status().text;
            e.rowsRead = c.apiRows;
            e.rowsUpserted = c.upserted;
            e.rowsDeleted = c.flagged;
            e.requests = c.requests;
            e.seconds = c.seconds;
            e.details = String.format(
                    "periods %s..%s by %s in %s; %d slices and %d keys differed (%d repaired, %d still "
                            + "different, %d not repaired); %d changed during the check, left out",
                    c.periods.get(0).label(),
                    c.periods.get(c.periods.size() - 1).label(),
                    labels.granularity(),
                    labels.zone().getId(),
                    c.slices.size(),
                    c.mismatches.size(),
                    c.count(Status.REPAIRED),
                    c.count(Status.STILL_DIFFERENT),
                    c.count(Status.MISMATCH),
                    c.excluded.size());
            journal.write(e);
            overall = overall.worse(c.status());
            summary.rowsRead += e.rowsRead;
            summary.rowsUpserted += e.rowsUpserted;
            summary.rowsDeleted += e.rowsDeleted;
        }
        skipped.forEach((t, why) -> {
            Journal.Entry e = new Journal.Entry(t);
            e.status = budget.stoppedBy() != null && why.startsWith("the budget") ? "partial" : "skipped";
            e.details = why;
            journal.write(e);
        });
        summary.status = overall.text;
        summary.requests = budget.spent();
        summary.seconds = seconds;
        summary.details = checks.size() + " tables checked, " + skipped.size() + " skipped"
                + (budget.stoppedBy() == null ? "" : "; " + budget.stoppedBy());
        journal.write(summary);
        journal.flush();
    }

    /** A failure's journal row (what was found before it is lost; the next run checks again). */
    void failed(RuntimeException e, long startedNanos) {
        try {
            Journal journal = new Journal(
                    lake, accountId, runId, "reconcile", config.amocrm().sourceName());
            Journal.Entry entry = new Journal.Entry(Tables.RECONCILIATION);
            entry.status = "failed";
            entry.error = Redaction.text(e.getMessage() == null ? e.toString() : e.getMessage());
            entry.requests = budget.spent();
            entry.seconds = (System.nanoTime() - startedNanos) / 1e9;
            journal.write(entry);
            journal.flush();
        } catch (RuntimeException journalFailure) {
            out.println("  could not journal the failure: " + journalFailure);
        }
    }
}
