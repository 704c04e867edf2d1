package io.amocrmetl.reconcile;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.ingest.IngestPath;
import io.amocrmetl.ingest.RunContext;
import io.amocrmetl.lake.Lake;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Repairs what a check found, through the normal ingest path (docs/reconciliation.md): keys
 * amoCRM lists are read again by {@code filter[id][]} and written as ingest writes a window (child
 * tables, then the rows, by the merge rule); keys it no longer lists are flagged deleted as a
 * deletion event would flag them, and recorded in {@code _deletions} with source "reconcile". Then
 * only what was repaired is checked again: the keys re-read by id, the slices recomputed.
 */
final class Repair {
    /** Ids per {@code filter[id][]} request (the reader's batch). */
    static final int ID_BATCH = 100;

    static final String SOURCE = "reconcile";

    private final RunContext ctx;
    private final Lake lake;
    private final ApiSide api;
    private final LakeSide lakeSide;
    private final Periods labels;
    private final long moment;
    private final RequestBudget budget;

    Repair(
            RunContext ctx,
            Lake lake,
            ApiSide api,
            LakeSide lakeSide,
            Periods labels,
            long moment,
            RequestBudget budget) {
        this.ctx = ctx;
        this.lake = lake;
        this.api = api;
        this.lakeSide = lakeSide;
        this.labels = labels;
        this.moment = moment;
        this.budget = budget;
    }

    /** Repairs the table's mismatches (as many as the budget allows), then checks them again. */
    void run(TableCheck t, Set<String> signalled) {
        long started = System.nanoTime();
        long before = api.requests();
        List<Long> done = new ArrayList<>();
        List<Long> listed = t.ids(true);
        for (int i = 0; i < listed.size(); i += ID_BATCH) {
            List<Long> batch = listed.subList(i, Math.min(listed.size(), i + ID_BATCH));
            // One request to re-read, one to check again afterwards.
            if (!budget.allows(2, "repairing " + t.table)) {
                break;
            }
            t.upserted += IngestPath.refetch(ctx, t.table, batch);
            budget.spend(1);
            t.requests += 1;
            done.addAll(batch);
        }
        List<Long> gone = t.ids(false);
        if (!gone.isEmpty() && budget.allows((gone.size() + ID_BATCH - 1) / ID_BATCH, "repairing " + t.table)) {
            recordDeletions(t.table, gone);
            t.flagged += IngestPath.markDeleted(ctx, t.table, gone, Instant.ofEpochSecond(moment));
            done.addAll(gone);
        }
        boolean complete = done.size() == t.mismatches.size();
        Map<Long, KeyState> recheck = api.byIds(t.table, done);
        Map<Long, KeyState> lakeNow = lakeSide.states(t.table, done);
        for (long id : done) {
            KeyState now = recheck.get(id);
            KeyState have = lakeNow.get(id);
            t.keyStatus.put(id, KeyJudge.afterRepair(have, now, signalled.contains(t.table + "/" + id), moment));
            if ((now != null && now.updatedAt() >= moment) || (have != null && have.updatedAt() >= moment)) {
                t.excluded.add(id); // changed again since the moment: left out of the slices too
            }
        }
        Map<Slice, SliceDiff.Difference> found = new TreeMap<>(t.slices);
        t.compare(lakeSide, lakeSide.rows(t.table, t.from, t.to), labels);
        Status unresolved = complete ? Status.STILL_DIFFERENT : Status.MISMATCH;
        for (Slice s : found.keySet()) {
            t.sliceStatus.put(s, t.slices.containsKey(s) ? unresolved : Status.REPAIRED);
        }
        for (Map.Entry<Slice, SliceDiff.Difference> e : t.slices.entrySet()) {
            if (!found.containsKey(e.getKey())) {
                // A slice that only differs after the repair: reported with its values now.
                found.put(e.getKey(), e.getValue());
                t.sliceStatus.put(e.getKey(), unresolved);
            }
        }
        t.slices.clear();
        t.slices.putAll(found);
        long spent = api.requests() - before;
        budget.spend(spent);
        t.requests += spent;
        t.seconds += (System.nanoTime() - started) / 1e9;
    }

    /** Appends the deletions found to {@code _deletions} once each (a MERGE on entity, key and source). */
    private void recordDeletions(String table, List<Long> ids) {
        LakeTable t = Tables.get(Tables.DELETIONS);
        Timestamp at = Timestamp.from(Instant.ofEpochSecond(moment));
        List<Row> rows = new ArrayList<>();
        for (long id : ids) {
            rows.add(RowFactory.create(
                    ctx.accountId(),
                    table,
                    String.valueOf(id),
                    at,
                    SOURCE,
                    "not listed by amoCRM at " + Instant.ofEpochSecond(moment) + ", and no deletion event since",
                    at,
                    ctx.runId()));
        }
        lake.delta(t.name())
                .as("t")
                .merge(
                        lake.spark().createDataFrame(rows, t.schema()).as("s"),
                        "t.account_id = " + ctx.accountId()
                                + " AND t.account_id = s.account_id AND t.entity = s.entity "
                                + "AND t.entity_key = s.entity_key AND t.source = s.source")
                .whenMatched()
                .updateAll()
                .whenNotMatched()
                .insertAll()
                .execute();
    }
}
