package io.amocrmetl.retention;

import static org.apache.spark.sql.functions.col;

import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.LakeTable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Deletes one table's rows older than its cut-off, child tables first, then the parent (DESIGN.md
 * "Commit order" in reverse). Each step is one Delta commit whose predicate carries the literal
 * account and is idempotent: a run killed between two steps leaves parents whose children are
 * already gone, and the next run deletes the (then empty) children again and the parents after.
 * Orphans never appear, because a parent outlives its children.
 */
final class AgeDeletes {
    private AgeDeletes() {
    }

    /** Per table, children first: how many rows would go. Reads only. */
    static Map<String, Long> count(Lake lake, long account, RetentionPlan.Cut cut) {
        Map<String, Long> out = new LinkedHashMap<>();
        Dataset<Row> doomed = doomedKeys(lake, account, cut);
        for (LakeTable child : cut.children()) {
            out.put(child.name(), lake.exists(child) ? children(lake, account, child, doomed).count() : 0L);
        }
        out.put(cut.table(), lake.read(cut.table(), account).where(cut.older()).count());
        return out;
    }

    /** Deletes them; per table, children first, the rows each commit removed (Delta's own metrics). */
    static Map<String, Long> delete(Lake lake, long account, RetentionPlan.Cut cut) {
        Map<String, Long> out = new LinkedHashMap<>();
        Dataset<Row> doomed = doomedKeys(lake, account, cut).localCheckpoint(true);
        boolean none = doomed.isEmpty();
        for (LakeTable child : cut.children()) {
            long n = 0;
            if (!none && lake.exists(child)) {
                Row m = lake.delta(child.name()).as("t").merge(doomed.as("s"),
                                "t.account_id = " + account + " AND t.`" + child.parentKey() + "` = s.pk")
                        .whenMatched().delete().execute().first();
                n = m.getLong(m.fieldIndex("num_deleted_rows"));
            }
            out.put(child.name(), n);
        }
        long n = 0;
        if (!none) {
            Row m = lake.spark().sql("DELETE FROM delta.`" + lake.path(cut.table()).replace("`", "``") + "` WHERE account_id = "
                    + account + " AND " + cut.older()).first();
            n = m.getLong(m.fieldIndex("num_affected_rows"));
        }
        out.put(cut.table(), n);
        return out;
    }

    /** The keys of the parent rows that go, as {@code pk}. */
    private static Dataset<Row> doomedKeys(Lake lake, long account, RetentionPlan.Cut cut) {
        return lake.read(cut.table(), account).where(cut.older()).select(col("`" + cut.parentKey() + "`").as("pk")).distinct();
    }

    private static Dataset<Row> children(Lake lake, long account, LakeTable child, Dataset<Row> doomed) {
        return lake.read(child.name(), account).join(doomed, col("`" + child.parentKey() + "`").equalTo(doomed.col("pk")),
                "left_semi");
    }
}
