package io.amocrmetl.reconcile;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark half of a check (docs/reconciliation.md): the lake's rows of a range, the key-level
 * join of the two sides, and the lead aggregates, all computed where the rows are; only the
 * differences and the aggregates come to the driver, where {@link KeyJudge} and
 * {@link SliceDiff} decide.
 */
final class LakeSide {
    private static final StructType IDS = new StructType().add("id", DataTypes.LongType);

    private final Lake lake;
    private final long accountId;

    LakeSide(Lake lake, long accountId) {
        this.lake = lake;
        this.accountId = accountId;
    }

    /** The lake's rows of a table created in [from, to], deleted ones included, as they are now. */
    Dataset<Row> rows(String table, long from, long to) {
        return lake.read(table, accountId)
                .where(col(Columns.CREATED_AT)
                        .geq(lit(ApiSide.ts(from)))
                        .and(col(Columns.CREATED_AT).leq(lit(ApiSide.ts(to)))));
    }

    /** The lake's rows per period label: what a scan of each period would read, about. */
    Map<String, Long> rowsPerPeriod(String table, long from, long to, Periods periods) {
        Map<String, Long> out = new HashMap<>();
        for (Row r : rows(table, from, to)
                .groupBy(expr(periods.sqlLabel(Columns.CREATED_AT)).as("p"))
                .count()
                .collectAsList()) {
            out.put(r.getString(0), r.getLong(1));
        }
        return out;
    }

    /**
     * The keys whose (updated_at, _hash, deleted) differ between the lake and the scan, and the lake
     * rows updated at or after {@code moment} (written after the check began, so left out).
     */
    static List<KeyDiff> keyDiffs(Dataset<Row> lakeRows, Dataset<Row> apiRows, long moment) {
        Dataset<Row> l = lakeRows.select(
                col("id").as("l_id"),
                col(Columns.CREATED_AT).as("l_created"),
                col(Columns.UPDATED_AT).as("l_updated"),
                col(Columns.HASH).as("l_hash"),
                col(Columns.IS_DELETED).as("l_deleted"));
        Dataset<Row> a = apiRows.select(
                col("id").as("a_id"),
                col(Columns.CREATED_AT).as("a_created"),
                col(Columns.UPDATED_AT).as("a_updated"),
                col(Columns.HASH).as("a_hash"));
        Column lakeLive = col("l_id").isNotNull().and(col("l_deleted").equalTo(false));
        Column apiLive = col("a_id").isNotNull();
        Column differs = lakeLive.notEqual(apiLive)
                .or(lakeLive.and(apiLive)
                        .and(col("l_updated")
                                .notEqual(col("a_updated"))
                                .or(col("l_hash").eqNullSafe(col("a_hash")).equalTo(false))))
                .or(col("l_updated").geq(lit(ApiSide.ts(moment))));
        List<KeyDiff> out = new ArrayList<>();
        for (Row r : l.join(a, col("l_id").equalTo(col("a_id")), "full_outer")
                .where(differs)
                .select(
                        coalesce(col("l_id"), col("a_id")),
                        coalesce(col("a_created"), col("l_created")),
                        col("l_id").isNotNull(),
                        col("l_updated"),
                        col("l_hash"),
                        col("l_deleted"),
                        col("a_id").isNotNull(),
                        col("a_updated"),
                        col("a_hash"))
                .collectAsList()) {
            KeyState lake = r.getBoolean(2) ? new KeyState(seconds(r, 3), r.getString(4), r.getBoolean(5)) : null;
            KeyState api = r.getBoolean(6) ? new KeyState(seconds(r, 7), r.getString(8), false) : null;
            out.add(new KeyDiff(r.getLong(0), seconds(r, 1), lake, api));
        }
        return out;
    }

    private static long seconds(Row r, int i) {
        return r.isNullAt(i) ? Long.MIN_VALUE : r.getTimestamp(i).toInstant().getEpochSecond();
    }

    /** The lake's state of these keys now (a key it lacks is absent from the map). */
    Map<Long, KeyState> states(String table, Collection<Long> ids) {
        Map<Long, KeyState> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (Row r : lake.read(table, accountId)
                .join(ids(ids), "id")
                .select("id", Columns.UPDATED_AT, Columns.HASH, Columns.IS_DELETED)
                .collectAsList()) {
            out.put(r.getLong(0), new KeyState(seconds(r, 1), r.getString(2), r.getBoolean(3)));
        }
        return out;
    }

    /** These ids as a one-column frame, to leave them out of both sides. */
    Dataset<Row> ids(Collection<Long> ids) {
        List<Row> rows = new ArrayList<>();
        ids.forEach(id -> rows.add(RowFactory.create(id)));
        return lake.spark().createDataFrame(rows, IDS);
    }

    /** The lake's lead aggregates per slice: live leads, one row per tag (tag 0 when none) from {@code leads_tags}. */
    Map<Slice, Measures> lakeSlices(Dataset<Row> leads, Dataset<Row> excluded, Periods periods) {
        Dataset<Row> tags = lake.read(Tables.tags(Tables.LEADS), accountId)
                .select(col(Columns.ENTITY_ID).as("id"), col("tag_id"))
                .distinct();
        Dataset<Row> live =
                leads.where("NOT is_deleted").join(excluded, leads.col("id").equalTo(excluded.col("id")), "left_anti");
        return slices(live.join(tags, "id", "left"), periods);
    }

    /** amoCRM's lead aggregates per slice, from the scan's rows (their {@code tags} array). */
    static Map<Slice, Measures> apiSlices(Dataset<Row> leads, Dataset<Row> excluded, Periods periods) {
        Dataset<Row> live = leads.join(excluded, leads.col("id").equalTo(excluded.col("id")), "left_anti");
        return slices(
                live.withColumn("tag_id", expr("explode_outer(array_distinct(transform(tags, t -> t.id)))")), periods);
    }

    private static Map<Slice, Measures> slices(Dataset<Row> rows, Periods periods) {
        Map<Slice, Measures> out = new HashMap<>();
        for (Row r : rows.groupBy(
                        expr(periods.sqlLabel(Columns.CREATED_AT)).as("period"),
                        coalesce(col("pipeline_id"), lit(0L)).as("pipeline_id"),
                        coalesce(col("status_id"), lit(0L)).as("status_id"),
                        coalesce(col("tag_id"), lit(0L)).as("tag_id"))
                .agg(count(lit(1)), sum(col("price")))
                .collectAsList()) {
            out.put(
                    new Slice(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3)),
                    new Measures(r.getLong(4), (BigDecimal) r.get(5)));
        }
        return out;
    }

    /** Live rows and (leads) their price sum per period, after leaving {@code excluded} out. */
    static Map<String, Measures> perPeriod(
            Dataset<Row> rows, Dataset<Row> excluded, Periods periods, boolean live, boolean priced) {
        Dataset<Row> kept = (live ? rows.where("NOT is_deleted") : rows)
                .join(excluded, rows.col("id").equalTo(excluded.col("id")), "left_anti");
        Map<String, Measures> out = new HashMap<>();
        for (Row r : kept.groupBy(expr(periods.sqlLabel(Columns.CREATED_AT)).as("period"))
                .agg(count(lit(1)), priced ? sum(col("price")) : lit(null).cast(DataTypes.createDecimalType(18, 2)))
                .collectAsList()) {
            out.put(r.getString(0), new Measures(r.getLong(1), (BigDecimal) r.get(2)));
        }
        return out;
    }
}
