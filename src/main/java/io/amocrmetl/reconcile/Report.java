package io.amocrmetl.reconcile;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * What a reconcile found, written to {@code _reconciliation} (docs/lakehouse.md): one row
 * per differing slice ({@code kind = slice}) and key ({@code kind = key}) with both sides' values
 * and its status, and one row per period judged ({@code kind = period}, its totals on each side,
 * "ok" when nothing in it differed). Printed as a short table too.
 */
final class Report {
    /** Differences printed before "... and N more". */
    static final int PRINTED = 30;

    private Report() {}

    /** Appends the run's rows (an append: never conflicts with another run). */
    static long write(Lake lake, long accountId, String runId, long moment, List<TableCheck> checks, Periods labels) {
        LakeTable t = Tables.get(Tables.RECONCILIATION);
        Timestamp at = Timestamp.from(Instant.ofEpochSecond(moment));
        List<Row> rows = new ArrayList<>();
        for (TableCheck c : checks) {
            Map<String, Status> periods = c.periodStatus(labels);
            for (Period p : c.periods) {
                Measures l = c.lakePeriods.getOrDefault(p.label(), Measures.NONE);
                Measures a = c.apiPeriods.getOrDefault(p.label(), Measures.NONE);
                rows.add(RowFactory.create(
                        accountId,
                        runId,
                        at,
                        "period",
                        c.table,
                        p.label(),
                        p.label(),
                        null,
                        null,
                        null,
                        null,
                        l.count(),
                        a.count(),
                        c.leads() ? money(l.sum()) : null,
                        c.leads() ? money(a.sum()) : null,
                        null,
                        null,
                        periods.get(p.label()).text));
            }
            for (Map.Entry<Slice, SliceDiff.Difference> e : c.slices.entrySet()) {
                Slice s = e.getKey();
                SliceDiff.Difference d = e.getValue();
                rows.add(RowFactory.create(
                        accountId,
                        runId,
                        at,
                        "slice",
                        c.table,
                        s.key(),
                        s.period(),
                        s.pipelineId(),
                        s.statusId(),
                        s.tagId(),
                        null,
                        d.lake().count(),
                        d.api().count(),
                        money(d.lake().sum()),
                        money(d.api().sum()),
                        null,
                        null,
                        c.sliceStatus.get(s).text));
            }
            for (Map.Entry<Long, KeyDiff> e : c.mismatches.entrySet()) {
                KeyDiff d = e.getValue();
                String key = String.valueOf(d.id());
                rows.add(RowFactory.create(
                        accountId,
                        runId,
                        at,
                        "key",
                        c.table,
                        key,
                        labels.label(Instant.ofEpochSecond(d.createdAt())),
                        null,
                        null,
                        null,
                        key,
                        null,
                        null,
                        null,
                        null,
                        KeyState.describe(d.lake()),
                        KeyState.describe(d.api()),
                        c.keyStatus.get(e.getKey()).text));
            }
        }
        if (!rows.isEmpty()) {
            lake.spark()
                    .createDataFrame(rows, t.schema())
                    .write()
                    .format("delta")
                    .mode("append")
                    .save(lake.path(t));
        }
        return rows.size();
    }

    private static BigDecimal money(BigDecimal v) {
        return v == null ? null : v.setScale(2, RoundingMode.HALF_UP);
    }

    /** The short table: a line per table, then each difference and what was done. */
    static void print(PrintStream out, List<TableCheck> checks, Periods labels) {
        for (TableCheck c : checks) {
            out.printf(
                    "  %-10s %s .. %s  %3d period%s  %7d in amoCRM  %7d in the lake  %s%n",
                    c.table,
                    Instant.ofEpochSecond(c.from),
                    Instant.ofEpochSecond(c.to),
                    c.periods.size(),
                    c.periods.size() == 1 ? " " : "s",
                    c.apiPeriods.values().stream().mapToLong(Measures::count).sum(),
                    c.lakePeriods.values().stream().mapToLong(Measures::count).sum(),
                    differed(c));
        }
        List<String> lines = new ArrayList<>();
        for (TableCheck c : checks) {
            c.slices.forEach((s, d) -> lines.add(String.format(
                    "    slice %-10s %-34s lake %-22s amoCRM %-22s %s",
                    c.table, s.key(), d.lake(), d.api(), c.sliceStatus.get(s))));
            c.mismatches.forEach((id, d) -> lines.add(String.format(
                    "    key   %-10s %-34s lake %s | amoCRM %s: %s%s",
                    c.table,
                    id,
                    KeyState.describe(d.lake()),
                    KeyState.describe(d.api()),
                    c.keyStatus.get(id),
                    d.api() == null && c.keyStatus.get(id) != Status.MISMATCH ? " (flagged deleted)" : "")));
        }
        if (!lines.isEmpty()) {
            out.println("  differences (period/pipeline/status/tag; count / sum of price):");
            lines.stream().limit(PRINTED).forEach(out::println);
            if (lines.size() > PRINTED) {
                out.printf("    ... and %d more (see _reconciliation)%n", lines.size() - PRINTED);
            }
        }
    }

    private static String differed(TableCheck c) {
        if (c.slices.isEmpty() && c.mismatches.isEmpty()) {
            return "no difference"
                    + (c.excluded.isEmpty() ? "" : " (" + c.excluded.size() + " changed during the check, left out)");
        }
        return (c.leads() ? c.slices.size() + " slice" + (c.slices.size() == 1 ? "" : "s") + " and " : "")
                + c.mismatches.size() + " key" + (c.mismatches.size() == 1 ? "" : "s") + " differ: " + c.status()
                + (c.excluded.isEmpty() ? "" : "; " + c.excluded.size() + " changed during the check, left out");
    }
}
