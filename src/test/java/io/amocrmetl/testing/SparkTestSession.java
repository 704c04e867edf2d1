package io.amocrmetl.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM (DEVELOPERS.md: {@code local[2]}, UI off), with Delta's
 * extension and catalog and the UTC session time zone the lake contract pins. Created on first use
 * and stopped when the JVM exits.
 */
public final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("amocrm-etl-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                    // The machine name may resolve to an address the driver cannot reach itself on.
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.warehouse.dir", "target/spark-warehouse")
                    // One executor in this JVM: waiting for a "better" locality only adds 3 s per stage.
                    .config("spark.locality.wait", "0")
                    // Delta replays a table log with 50 tasks by default: seconds per snapshot on 2 cores.
                    .config("spark.databricks.delta.snapshotPartitions", "2")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop, "spark-test-session-stop"));
        }
        return session;
    }
}
