package io.amocrmetl.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM (DEVELOPERS.md: {@code local[2]}, UI off), with Delta's
 * extension and catalog and the UTC session time zone the lake contract pins. Created on first use
 * and stopped when the JVM exits.
 */
public final class SparkTestSession {
    private static SparkSession session;

    /**
     * Settings for the thousands of tiny queries the tests run, where Spark's fixed costs dominate
     * (code generation for every new plan, a job per adaptive shuffle stage); results are the same
     * interpreted and non-adaptive, and tests run about twice as fast (docs/testing.md). The product
     * keeps Spark's defaults; the slow tier's spark-submit, cluster and launcher tests run with them.
     */
    public static final java.util.Map<String, Object> TINY_DATA = java.util.Map.of(
            "spark.sql.codegen.wholeStage", "false",
            "spark.sql.codegen.factoryMode", "NO_CODEGEN",
            "spark.sql.adaptive.enabled", "false");

    private SparkTestSession() {}

    public static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("amocrm-etl-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "1")
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
                    .config(TINY_DATA)
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop, "spark-test-session-stop"));
        }
        return session;
    }
}
