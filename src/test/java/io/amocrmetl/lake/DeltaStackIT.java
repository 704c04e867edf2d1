package io.amocrmetl.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amocrmetl.testing.SparkTestSession;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack the lake stands on works here: Spark 4.2 and Delta 4.4 on Java 17 with the project's
 * JVM flags, writing a Delta table and MERGE-ing into it with the literal account_id predicate the
 * lake contract uses (docs/lakehouse.md).
 */
class DeltaStackIT {
    @TempDir
    Path dir;

    @Test
    void writeMergeAndTimeTravelADeltaTable() {
        SparkSession spark = SparkTestSession.get();
        StructType schema = new StructType()
                .add("account_id", DataTypes.LongType)
                .add("id", DataTypes.LongType)
                .add("name", DataTypes.StringType)
                .add("updated_at", DataTypes.TimestampType);
        String path = dir.resolve("leads").toString();
        java.sql.Timestamp t1 = java.sql.Timestamp.valueOf("2026-01-01 10:00:00");
        java.sql.Timestamp t2 = java.sql.Timestamp.valueOf("2026-01-02 10:00:00");
        spark.createDataFrame(List.of(RowFactory.create(1L, 10L, "a", t1), RowFactory.create(1L, 11L, "b", t1)), schema)
                .write()
                .format("delta")
                .save(path);
        var updates = spark.createDataFrame(
                List.of(RowFactory.create(1L, 11L, "b2", t2), RowFactory.create(1L, 12L, "c", t2)), schema);
        DeltaTable.forPath(spark, path)
                .as("t")
                .merge(updates.as("s"), "t.account_id = 1 AND t.account_id = s.account_id AND t.id = s.id")
                .whenMatched("s.updated_at > t.updated_at")
                .updateAll()
                .whenNotMatched()
                .insertAll()
                .execute();
        List<Row> rows = spark.read().format("delta").load(path).orderBy("id").collectAsList();
        assertEquals(
                List.of("a", "b2", "c"), rows.stream().map(r -> r.getString(2)).toList());
        assertEquals(
                2,
                spark.read().format("delta").option("versionAsOf", 0).load(path).count());
        assertEquals("UTC", spark.conf().get("spark.sql.session.timeZone"));
    }
}
