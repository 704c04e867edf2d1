package io.amocrmetl.marts;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.SparkSessions;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The lake and its marts from a Java notebook (notebooks/, the rapaio Java kernel): a local
 * SparkSession with every lake table and mart as a view by its name, query results as HTML
 * tables, and charts.
 *
 * <pre>
 * var lake = MartsNotebook.open("../lakehouse");
 * display("text/html", lake.table("SELECT * FROM sales_funnel"));
 * display(lake.chart(Chart.Type.HORIZONTAL_BARS, "Funnel", "SELECT status_name, leads_reached FROM ...",
 *         "status_name", "leads_reached"));
 * </pre>
 */
public final class MartsNotebook {
    private static final int MAX_ROWS = 60;
    private final SparkSession spark;
    private final List<String> marts;

    private MartsNotebook(SparkSession spark, List<String> marts) {
        this.spark = spark;
        this.marts = marts;
    }

    /** The lake at {@code lakePath} with the default marts settings (marts under lakePath/marts). */
    public static MartsNotebook open(String lakePath) {
        return open(null, Map.of("lake.path", lakePath));
    }

    /** The lake a config file (and overrides) names. */
    public static MartsNotebook open(Path config, Map<String, String> overrides) {
        // The rapaio kernel sets java.util.logging's root to FINEST; Spark bridges JUL to its own
        // logging, and janino's FINEST entries then break whole-stage code generation (the cell fails
        // with "Failed to compile the generated Java code"). Nothing here wants JUL below INFO.
        Logger.getLogger("").setLevel(Level.INFO);
        EtlConfig cfg = EtlConfig.load(config, overrides);
        SparkSession spark = SparkSessions.create("notebook");
        Lake lake = Lake.readOnly(spark, cfg.lakePath());
        if (!lake.exists(Tables.get(Tables.LAKE_META))) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "no lake at " + Path.of(cfg.lakePath()).toAbsolutePath()
                            + ": run `jobs/amocrm-etl demo` (or ingest and marts) first");
        }
        return new MartsNotebook(spark, MartViews.register(lake, cfg.marts()));
    }

    public SparkSession spark() {
        return spark;
    }

    /** The marts registered, in build order. */
    public List<String> marts() {
        return marts;
    }

    public Dataset<Row> sql(String query) {
        return spark.sql(query);
    }

    /** The query's first rows as an HTML table. */
    public String table(String query) {
        return table(sql(query));
    }

    public String table(Dataset<Row> df) {
        List<List<Object>> rows = new ArrayList<>();
        for (Row r : df.limit(MAX_ROWS).collectAsList()) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) {
                values.add(r.get(i));
            }
            rows.add(values);
        }
        return HtmlTable.of(Arrays.asList(df.columns()), rows);
    }

    /** A chart of the query's rows: one category per row, one series per value column. */
    public BufferedImage chart(Chart.Type type, String title, String query, String category, String... values) {
        List<Row> rows = sql(query).collectAsList();
        List<Object> labels = new ArrayList<>();
        rows.forEach(r -> labels.add(r.get(r.fieldIndex(category))));
        Chart c = Chart.of(type, title).categories(labels);
        for (String v : values) {
            List<Number> series = new ArrayList<>();
            rows.forEach(r -> series.add((Number) r.get(r.fieldIndex(v))));
            c.series(v, series);
        }
        return c.render();
    }
}
