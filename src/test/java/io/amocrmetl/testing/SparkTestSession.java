package io.amocrmetl.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM (DEVELOPERS.md: {@code local[2]}, UI off), with Delta's
 * extension and catalog and the UTC session time zone the lake contract pins. Created on first use
 * and stopped when the JVM exits. The slow tier's child JVMs run with the same settings
 * ({@link ChildJvm#etl}).
 */
public final class SparkTestSession {
    private static SparkSession session;

    /**
     * Settings for the thousands of tiny queries the tests run, where Spark's fixed costs dominate
     * (code generation for every new plan, a job per adaptive shuffle stage); results are the same
     * interpreted and non-adaptive, and tests run about twice as fast (docs/testing.md). The product
     * keeps Spark's defaults; the slow tier's spark-submit, cluster and launcher tests run with them.
     */
    private static final Map<String, String> TINY_DATA = Map.of(
            "spark.sql.codegen.wholeStage", "false",
            "spark.sql.codegen.factoryMode", "NO_CODEGEN",
            "spark.sql.adaptive.enabled", "false");

    /**
     * The lock a test class holds while it registers temporary views by table name: IT classes
     * run at once in one JVM and share this session (docs/testing.md, "CI budget").
     */
    public static final String TEMP_VIEWS = "spark-test-session-temp-views";

    /** Everything the session is built with but its name. */
    public static final Map<String, String> SETTINGS = settings();

    private SparkTestSession() {}

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("spark.master", "local[2]");
        s.put("spark.ui.enabled", "false");
        // One task per shuffle: a test's data is a few hundred rows.
        s.put("spark.sql.shuffle.partitions", "1");
        s.put("spark.sql.session.timeZone", "UTC");
        s.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        s.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        // The machine name may resolve to an address the driver cannot reach itself on.
        s.put("spark.driver.bindAddress", "127.0.0.1");
        s.put("spark.driver.host", "127.0.0.1");
        s.put("spark.sql.warehouse.dir", "target/spark-warehouse");
        // One executor in this JVM: waiting for a "better" locality only adds 3 s per stage.
        s.put("spark.locality.wait", "0");
        // Delta replays a table log with 50 tasks by default: seconds per snapshot on 2 cores.
        s.put("spark.databricks.delta.snapshotPartitions", "2");
        s.putAll(TINY_DATA);
        return Map.copyOf(s);
    }

    public static synchronized SparkSession get() {
        if (session == null) {
            SparkSession.Builder b = SparkSession.builder().appName("amocrm-etl-tests");
            SETTINGS.forEach(b::config);
            session = b.getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop, "spark-test-session-stop"));
        }
        return session;
    }
}
