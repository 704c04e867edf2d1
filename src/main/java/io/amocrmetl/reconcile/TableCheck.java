package io.amocrmetl.reconcile;

import io.amocrmetl.catalog.EntityFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One table's check over the periods a run judges (docs/reconciliation.md): one list scan of
 * amoCRM, the keys compared with the lake's, each difference re-read by id and judged as of the
 * moment the check began, and for leads the aggregates per (period, pipeline, status, tag). Holds
 * what was found, and what repair made of it.
 */
final class TableCheck {
    final String table;
    final List<Period> periods;
    final long from;
    final long to;
    /** The scan's rows (materialised): amoCRM as of the moment. */
    Dataset<Row> api;

    long apiRows;
    /** Keys that differ as of the moment: the lake's state and amoCRM's (re-read by id). */
    final Map<Long, KeyDiff> mismatches = new TreeMap<>();

    final Map<Long, Status> keyStatus = new TreeMap<>();
    /** Keys that changed since the moment (or whose change the lists cannot date): left out on both sides. */
    final Set<Long> excluded = new TreeSet<>();

    final Map<Slice, SliceDiff.Difference> slices = new TreeMap<>();
    final Map<Slice, Status> sliceStatus = new TreeMap<>();
    Map<String, Measures> lakePeriods = Map.of();
    Map<String, Measures> apiPeriods = Map.of();
    long upserted;
    long flagged;
    long requests;
    double seconds;

    TableCheck(String table, List<Period> periods) {
        this.table = table;
        this.periods = List.copyOf(periods);
        this.from = periods.get(0).from();
        this.to = periods.get(periods.size() - 1).to();
    }

    boolean leads() {
        return EntityFacts.aggregated(table);
    }

    /** The lake's rows of the range, materialised when scanned (what the verdicts are judged against). */
    private Dataset<Row> lakeRows;
    /** The keys the scan found different, and amoCRM's state of each re-read by id, until judged. */
    private List<KeyDiff> diffs = List.of();

    private Map<Long, KeyState> recheck = Map.of();

    /**
     * Scans amoCRM, compares the keys with the lake's and re-reads the differing ones by id. They
     * are judged once every table is scanned ({@link #judge}), so the events read then cover every
     * change made while any list was read.
     */
    void scan(ApiSide apiSide, LakeSide lake, long moment) {
        long started = System.nanoTime();
        long before = apiSide.requests();
        api = apiSide.scan(table, from, to, moment);
        apiRows = apiSide.lastRows();
        lakeRows = lake.rows(table, from, to).localCheckpoint(true);
        diffs = LakeSide.keyDiffs(lakeRows, api, moment);
        recheck = apiSide.byIds(table, diffs.stream().map(KeyDiff::id).toList());
        requests += apiSide.requests() - before;
        seconds += (System.nanoTime() - started) / 1e9;
    }

    boolean hasDiffs() {
        return !diffs.isEmpty();
    }

    /**
     * Judges each differing key as of the moment, then aggregates both sides without the keys left out.
     *
     * @param signalled the entities ("leads/12") events named since the moment, read after every re-read
     */
    void judge(LakeSide lake, Periods labels, long moment, Set<String> signalled) {
        long started = System.nanoTime();
        for (KeyDiff d : diffs) {
            KeyState now = recheck.get(d.id());
            if (KeyJudge.judge(d.lake(), now, signalled.contains(table + "/" + d.id()), moment)
                    == KeyJudge.Verdict.MISMATCH) {
                mismatches.put(d.id(), new KeyDiff(d.id(), d.createdAt(), d.lake(), now));
                keyStatus.put(d.id(), Status.MISMATCH);
            } else {
                excluded.add(d.id());
            }
        }
        compare(lake, lakeRows, labels);
        for (SliceDiff.Difference d : slices.values()) {
            sliceStatus.put(d.slice(), Status.MISMATCH);
        }
        seconds += (System.nanoTime() - started) / 1e9;
    }

    /** Aggregates both sides with the excluded keys left out: the slices that differ, and the totals per period. */
    void compare(LakeSide lake, Dataset<Row> lakeRows, Periods labels) {
        Dataset<Row> out = lake.ids(excluded);
        slices.clear();
        if (leads()) {
            for (SliceDiff.Difference d :
                    SliceDiff.diff(lake.lakeSlices(lakeRows, out, labels), LakeSide.apiSlices(api, out, labels))) {
                slices.put(d.slice(), d);
            }
        }
        lakePeriods = LakeSide.perPeriod(lakeRows, out, labels, true, leads());
        apiPeriods = LakeSide.perPeriod(api, out, labels, false, leads());
    }

    /** The worst status of each period's keys and slices (ok when none differed). */
    Map<String, Status> periodStatus(Periods labels) {
        Map<String, Status> out = new TreeMap<>();
        periods.forEach(p -> out.put(p.label(), Status.OK));
        keyStatus.forEach((id, s) ->
                out.merge(labels.label(Instant.ofEpochSecond(mismatches.get(id).createdAt())), s, Status::worse));
        sliceStatus.forEach((slice, s) -> out.merge(slice.period(), s, Status::worse));
        return out;
    }

    /** The worst status of the table. */
    Status status() {
        Status s = Status.OK;
        for (Status k : keyStatus.values()) {
            s = s.worse(k);
        }
        for (Status k : sliceStatus.values()) {
            s = s.worse(k);
        }
        return s;
    }

    long count(Status s) {
        return keyStatus.values().stream().filter(s::equals).count()
                + sliceStatus.values().stream().filter(s::equals).count();
    }

    List<Long> ids(boolean listed) {
        List<Long> out = new ArrayList<>();
        mismatches.forEach((id, d) -> {
            if ((d.api() != null) == listed) {
                out.add(id);
            }
        });
        return out;
    }
}
