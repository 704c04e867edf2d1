package io.amocrmetl.lake;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a command. Under {@code spark-submit} the master and everything else come
 * from it; run locally ({@code jobs/amocrm-etl}), Spark runs in this JVM ({@code local[*]}, no UI).
 * Both get Delta and the UTC session time zone the lake contract pins (docs/lakehouse.md).
 */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession create(String app) {
        SparkSession.Builder b = SparkSession.builder()
                .appName("amocrm-etl " + app)
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", "UTC");
        if (!new SparkConf().contains("spark.master")) {
            b = b.master("local[*]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "8")
                    // Delta replays each table's log with 50 tasks by default: seconds per snapshot on a laptop.
                    .config("spark.databricks.delta.snapshotPartitions", "4")
                    .config("spark.locality.wait", "0");
        }
        SparkSession spark = b.getOrCreate();
        return spark;
    }
}
