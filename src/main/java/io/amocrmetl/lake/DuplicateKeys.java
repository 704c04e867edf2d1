package io.amocrmetl.lake;

import static org.apache.spark.sql.functions.col;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.LakeTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Keys held twice in an account's part of a table. Older versions could leave them when two runs
 * appended the same new keys at once, since Delta does not conflict-check blind appends
 * (docs/lakehouse.md, "Overlapping runs"). A later MERGE whose source then matches a key twice
 * fails ({@link #multipleMatches}); the writer then calls {@link #repair}, which keeps the newest
 * row of each key in one commit, and writes again, so such a lake is repaired by the next write
 * instead of wedged.
 */
public final class DuplicateKeys {
    static final String MULTIPLE_MATCHES = "DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE";

    private DuplicateKeys() {}

    /**
     * Keeps one row per key in the account's part of the table: the latest {@code _synced_at},
     * then the larger {@code _hash} where the table has one. One commit, which conflicts with any
     * concurrent writer of that part.
     *
     * @return the rows removed
     */
    public static long repair(Lake lake, LakeTable table, long account) {
        Dataset<Row> part = lake.read(table.name(), account);
        List<Column> order = new ArrayList<>(List.of(col(Columns.SYNCED_AT).desc_nulls_last()));
        if (List.of(table.schema().fieldNames()).contains(Columns.HASH)) {
            order.add(col(Columns.HASH).desc_nulls_last());
        }
        Column[] key = table.key().stream().map(functions::col).toArray(Column[]::new);
        Dataset<Row> kept = part.withColumn(
                        "_rank",
                        functions.row_number().over(Window.partitionBy(key).orderBy(order.toArray(Column[]::new))))
                .where("_rank = 1")
                .drop("_rank")
                .localCheckpoint(true);
        long removed = part.count() - kept.count();
        if (removed > 0) {
            kept.write()
                    .format("delta")
                    .mode("overwrite")
                    .option("replaceWhere", Columns.ACCOUNT_ID + " = " + account)
                    .save(lake.path(table));
        }
        return removed;
    }

    /** Whether a write failed because a MERGE's source matched a lake key twice. */
    public static boolean multipleMatches(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkThrowable s && MULTIPLE_MATCHES.equals(s.getCondition())) {
                return true;
            }
        }
        return false;
    }
}
