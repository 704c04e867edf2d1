package io.amocrmetl.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.LakeTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The lake's write operations, each one Delta commit whose predicates carry the literal account
 * (docs/lakehouse.md), each idempotent, so a crash between two of them only means the window is
 * read again (docs/lakehouse.md).
 */
public final class LakeWrites {
    /** A column {@link #winners} adds: whether the lake already holds the key (else an append does). */
    public static final String EXISTS = "_exists";

    private LakeWrites() {}

    /** Keeps one row per key: the one with the latest cursor (then the larger hash, for a stable pick). */
    public static Dataset<Row> dedupe(Dataset<Row> rows, LakeTable table, String cursor) {
        Column[] key = table.key().stream().map(functions::col).toArray(Column[]::new);
        return rows.withColumn(
                        "_rank",
                        functions
                                .row_number()
                                .over(Window.partitionBy(key)
                                        .orderBy(
                                                col(cursor).desc_nulls_last(),
                                                col(Columns.HASH).desc())))
                .where("_rank = 1")
                .drop("_rank");
    }

    /**
     * The source rows that replace what the lake holds (docs/lakehouse.md): a key the lake
     * lacks; a newer cursor; an equal cursor with a different content hash; or a lake row flagged
     * deleted, since a row the list returns is live.
     *
     * <p>One left join of the window with the lake's keys, cursors and hashes: a broadcast variant
     * measured the same (docs/benchmarks.md), so the simpler one stays.
     */
    public static Dataset<Row> winners(Lake lake, LakeTable table, long account, Dataset<Row> src, String cursor) {
        List<String> key = table.key();
        Dataset<Row> have = lake.read(table.name(), account)
                .select(concat(key, List.of(cursor, Columns.HASH, Columns.IS_DELETED)).stream()
                        .map(c -> col(c).as("l_" + c))
                        .toArray(Column[]::new));
        Column on = null;
        for (String k : key) {
            Column eq = src.col(k).equalTo(col("l_" + k));
            on = on == null ? eq : on.and(eq);
        }
        String last = key.get(key.size() - 1);
        Column win = col("l_" + last)
                .isNull()
                .or(src.col(cursor).isNull())
                .or(col("l_" + cursor).isNull())
                .or(src.col(cursor).gt(col("l_" + cursor)))
                .or(src.col(cursor)
                        .equalTo(col("l_" + cursor))
                        .and(src.col(Columns.HASH).notEqual(col("l__hash"))))
                .or(col("l_is_deleted"));
        List<Column> out = new ArrayList<>();
        for (String c : src.columns()) {
            out.add(src.col(c));
        }
        out.add(col("l_" + last).isNotNull().as(EXISTS));
        return src.join(have, on, "left").where(win).select(out.toArray(new Column[0]));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        b.stream().filter(x -> !out.contains(x)).forEach(out::add);
        return out;
    }

    /**
     * Writes lake-shaped rows (already the winners) to an entity or analytic table by key: an
     * insert-only MERGE when none of their keys is in the lake ({@code newOnly}), else a full one.
     * Never a blind append: Delta does not conflict-check appends, so two runs appending the same
     * new keys at once would both commit them (docs/lakehouse.md, "Overlapping runs").
     *
     */
    public static void upsert(Lake lake, LakeTable table, long account, Dataset<Row> rows, boolean newOnly) {
        if (newOnly) {
            insertNew(lake, table, account, rows);
            return;
        }
        lake.delta(table.name())
                .as("t")
                .merge(rows.as("s"), on(table, account))
                .whenMatched()
                .updateAll()
                .whenNotMatched()
                .insertAll()
                .execute();
    }

    /** As {@link #upsert(Lake, LakeTable, long, Dataset, boolean)} with a full MERGE. */
    public static void upsert(Lake lake, LakeTable table, long account, Dataset<Row> rows) {
        upsert(lake, table, account, rows, false);
    }

    /**
     * Inserts rows whose keys the lake should not hold yet, by an insert-only MERGE: it reads the
     * account's part, so a concurrent writer of the same keys makes one of the two commits fail
     * instead of both appending; a key already there is left alone.
     */
    public static void insertNew(Lake lake, LakeTable table, long account, Dataset<Row> rows) {
        lake.delta(table.name())
                .as("t")
                .merge(rows.as("s"), on(table, account))
                .whenNotMatched()
                .insertAll()
                .execute();
    }

    /**
     * Rewrites a child table for some parents in one commit: their rows become {@code rows}
     * exactly. The rows they had that are gone are found first (an anti-join on the child's key),
     * so the MERGE needs no list of parents in its condition.
     *
     * @param parents the parents rewritten (a column named as the child's parent key)
     */
    public static void replaceChildren(
            Lake lake, LakeTable child, long account, Dataset<Row> parents, Dataset<Row> rows) {
        String pk = child.parentKey();
        // The parents (a window's worth) are broadcast to the child table's scan, which is never shuffled.
        Dataset<Row> existing = lake.read(child.name(), account)
                .join(functions.broadcast(parents.select(col(pk)).distinct()), pk, "left_semi")
                .localCheckpoint(true);
        if (existing.isEmpty()) {
            // These parents have no child rows yet (a first load): nothing to replace.
            if (!rows.isEmpty()) {
                insertNew(lake, child, account, rows);
            }
            return;
        }
        List<String> content = new ArrayList<>();
        for (String c : child.schema().fieldNames()) {
            if (!c.startsWith("_")) {
                content.add(c);
            }
        }
        // Rows that are new or changed, and keys that are gone; usually neither (a rename leaves
        // a lead's tags and fields alone), and then no commit at all.
        Column same = null;
        for (String c : content) {
            Column eq = rows.col(c).eqNullSafe(existing.col(c));
            same = same == null ? eq : same.and(eq);
        }
        Dataset<Row> changed = rows.join(existing, same, "left_anti");
        Column[] keyCols = child.key().stream().map(functions::col).toArray(Column[]::new);
        Dataset<Row> deletes = existing.select(keyCols)
                .join(
                        rows.select(keyCols),
                        CollectionConverters.asScala(child.key()).toSeq(),
                        "left_anti");
        if (changed.isEmpty() && deletes.isEmpty()) {
            return;
        }
        for (String c : child.schema().fieldNames()) {
            if (!child.key().contains(c)) {
                deletes = deletes.withColumn(
                        c, lit(null).cast(child.schema().apply(c).dataType()));
            }
        }
        Dataset<Row> source = changed.withColumn("_action", lit("upsert"))
                .unionByName(deletes.select(
                                child.schema().fieldNames()[0],
                                tail(child.schema().fieldNames()))
                        .withColumn("_action", lit("delete")));
        Map<String, String> set = new LinkedHashMap<>();
        for (String c : child.schema().fieldNames()) {
            set.put("`" + c + "`", "s.`" + c + "`");
        }
        lake.delta(child.name())
                .as("t")
                .merge(source.as("s"), on(child, account))
                .whenMatched("s._action = 'delete'")
                .delete()
                .whenMatched()
                .updateExpr(set)
                .whenNotMatched("s._action = 'upsert'")
                .insertExpr(set)
                .execute();
    }

    /**
     * Refreshes a reference table whole for one account (docs/lakehouse.md): changed
     * rows are updated, new ones inserted, and rows the API no longer returns are flagged
     * {@code is_deleted} with {@code deleted_at}, never dropped, so old leads still join them.
     * Vanished keys go in the MERGE's source, not {@code WHEN NOT MATCHED BY SOURCE}, which reads
     * every account's partition and would conflict with another account's refresh.
     *
     * @param content the columns whose change counts (metadata excluded)
     * @return whether anything changed (and was written)
     */
    public static boolean refresh(
            Lake lake, LakeTable table, long account, Dataset<Row> rows, List<String> content, long nowMicros) {
        // Usually nothing changed. A reference table is small (tens to thousands of rows), so both
        // sides are compared on the driver: one scan of the lake, instead of two shuffles per table
        // (docs/benchmarks.md).
        List<String> keyNames = table.key();
        List<String> keysAndContent = new ArrayList<>(keyNames);
        content.stream().filter(c -> !keyNames.contains(c)).forEach(keysAndContent::add);
        Column[] both = keysAndContent.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new);
        List<Row> inLake = lake.read(table.name(), account)
                .where("NOT is_deleted")
                .select(both)
                .collectAsList();
        List<Row> fresh = rows.select(both).collectAsList();
        int[] keysAt = IntStream.range(0, keyNames.size()).toArray();
        int[] contentAt = content.stream().mapToInt(keysAndContent::indexOf).toArray();
        List<Row> vanishedKeys = RowBags.exceptAll(inLake, fresh, keysAt);
        if (RowBags.exceptAll(fresh, inLake, contentAt).isEmpty() && vanishedKeys.isEmpty()) {
            return false;
        }
        StructType keySchema = new StructType(
                keyNames.stream().map(k -> table.schema().apply(k)).toArray(StructField[]::new));
        Dataset<Row> vanished = lake.spark().createDataFrame(vanishedKeys, keySchema);
        String[] names = table.schema().fieldNames();
        for (String c : names) {
            if (!table.key().contains(c)) {
                vanished = vanished.withColumn(
                        c, lit(null).cast(table.schema().apply(c).dataType()));
            }
        }
        Dataset<Row> source = rows.select(names[0], tail(names))
                .withColumn("_action", lit("upsert"))
                .unionByName(vanished.select(names[0], tail(names)).withColumn("_action", lit("vanish")));
        StringBuilder changed = new StringBuilder("s._action = 'upsert' AND (t.is_deleted");
        for (String c : content) {
            changed.append(" OR NOT (t.`")
                    .append(c)
                    .append("` <=> s.`")
                    .append(c)
                    .append("`)");
        }
        changed.append(')');
        Map<String, String> set = new LinkedHashMap<>();
        for (String c : names) {
            set.put("`" + c + "`", "s.`" + c + "`");
        }
        String now = "timestamp_micros(" + nowMicros + "L)";
        lake.delta(table.name())
                .as("t")
                .merge(source.as("s"), on(table, account))
                .whenMatched("s._action = 'vanish' AND NOT t.is_deleted")
                .updateExpr(Map.of(Columns.IS_DELETED, "true", Columns.DELETED_AT, now, Columns.SYNCED_AT, now))
                .whenMatched(changed.toString())
                .updateExpr(set)
                .whenNotMatched("s._action = 'upsert'")
                .insertExpr(set)
                .execute();
        return true;
    }

    /** {@code t.account_id = <account> AND t.k = s.k ...}: the literal account keeps accounts apart. */
    static String on(LakeTable table, long account) {
        StringBuilder sb = new StringBuilder("t.account_id = ").append(account);
        for (String k : table.key()) {
            sb.append(" AND t.`").append(k).append("` = s.`").append(k).append('`');
        }
        return sb.toString();
    }

    private static String[] tail(String[] a) {
        return Arrays.copyOfRange(a, 1, a.length);
    }
}
