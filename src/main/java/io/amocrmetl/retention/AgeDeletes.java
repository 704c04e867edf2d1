package io.amocrmetl.retention;

import static org.apache.spark.sql.functions.col;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes one table's rows older than its cut-off, child tables first, then the parent (the commit
 * order of docs/lakehouse.md in reverse). Each step is one Delta commit whose predicate carries the literal
 * account and is idempotent: a run killed between two steps leaves parents whose children are
 * already gone, and the next run deletes the (then absent) children again and the parents after.
 * Orphans never appear, because a parent outlives its children.
 */
final class AgeDeletes {
    private static final Logger LOG = LoggerFactory.getLogger(AgeDeletes.class);
    private final Lake lake;
    private final LakeFiles files;
    private final long account;

    AgeDeletes(Lake lake, LakeFiles files, long account) {
        this.lake = lake;
        this.files = files;
        this.account = account;
    }

    /** Per table, children first: how many rows go. Reads only (a dry run, and the real run's plan). */
    Map<String, Long> count(RetentionPlan.Cut cut) {
        return counted(cut, null);
    }

    /** Deletes them; per table, children first, the rows each commit removed (Delta's own metrics). */
    Map<String, Long> delete(RetentionPlan.Cut cut) {
        Map<String, Long> out = new LinkedHashMap<>();
        Map<String, Long> planned = counted(cut, out);
        if (planned.get(cut.table()) > 0) {
            Row m = lake.spark()
                    .sql("DELETE FROM delta.`" + lake.path(cut.table()).replace("`", "``") + "` WHERE account_id = "
                            + account + " AND " + cut.older())
                    .first();
            out.put(cut.table(), check(cut.table(), planned, m.getLong(m.fieldIndex("num_affected_rows"))));
        } else {
            out.put(cut.table(), 0L);
        }
        return out;
    }

    /**
     * Counts what goes; with {@code deleted} given, deletes each child table's share right after
     * counting it (one MERGE, skipped when nothing matches) and records what the MERGE removed.
     */
    private Map<String, Long> counted(RetentionPlan.Cut cut, Map<String, Long> deleted) {
        Map<String, Long> out = new LinkedHashMap<>();
        long parents = holdsData(cut.table())
                ? lake.read(cut.table(), account).where(cut.older()).count()
                : 0;
        Dataset<Row> doomed = null;
        for (LakeTable child : cut.children()) {
            long n = 0;
            if (parents > 0 && holdsData(child.name())) {
                if (doomed == null) {
                    doomed = lake.read(cut.table(), account)
                            .where(cut.older())
                            .select(col("`" + cut.parentKey() + "`").as("pk"))
                            .distinct()
                            .localCheckpoint(true);
                }
                n = lake.read(child.name(), account)
                        .join(doomed, col("`" + child.parentKey() + "`").equalTo(doomed.col("pk")), "left_semi")
                        .count();
            }
            out.put(child.name(), n);
            if (deleted != null) {
                long removed = 0;
                if (n > 0) {
                    Row m = lake.delta(child.name())
                            .as("t")
                            .merge(
                                    doomed.as("s"),
                                    "t.account_id = " + account + " AND t.`" + child.parentKey() + "` = s.pk")
                            .whenMatched()
                            .delete()
                            .execute()
                            .first();
                    removed = check(child.name(), out, m.getLong(m.fieldIndex("num_deleted_rows")));
                }
                deleted.put(child.name(), removed);
            }
        }
        out.put(cut.table(), parents);
        return out;
    }

    /** Whether the account's partition of the table has any file (a listing: no Spark job for a table never written). */
    private boolean holdsData(String table) {
        return files.holdsData(table, MaintenancePlan.partition(Tables.get(table), account));
    }

    /** Delta's count is the truth; a difference from the plan means someone wrote meanwhile (worth a warning). */
    private static long check(String table, Map<String, Long> planned, long removed) {
        Long want = planned.get(table);
        if (want != null && want != removed) {
            LOG.warn(
                    "{}: {} rows were to go, {} went: was the table written while retention ran?",
                    table,
                    want,
                    removed);
        }
        return removed;
    }
}
