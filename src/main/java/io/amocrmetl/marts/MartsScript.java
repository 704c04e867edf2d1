package io.amocrmetl.marts;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.Lake;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/** {@code marts --list} and {@code marts --sql}: what the marts are, and their SQL for other engines. */
public final class MartsScript {
    private MartsScript() {}

    /** One line per mart: name, table or view, and the first sentence of its description. */
    public static void list(EtlConfig cfg, PrintStream out) {
        for (Mart m : MartCatalog.all(cfg.marts().mybiViews())) {
            if (m.group() == Mart.Group.CURRENT) {
                continue;
            }
            String d = m.description();
            int dot = d.indexOf(". ");
            out.printf("%-26s %-5s %s%n", m.name(), m.kind().word(), dot > 0 ? d.substring(0, dot + 1) : d);
        }
        out.printf(
                "%-26s %-5s %s%n",
                "<table>_current",
                "view",
                "each entity and reference table without its deleted rows ("
                        + MartCatalog.currentViews().size() + " views).");
    }

    /**
     * The whole build as Spark SQL (Databricks, PySpark): every mart as a temporary view, in build
     * order. The lake's tables must be views by their names first (e.g.
     * {@code CREATE TEMPORARY VIEW leads USING delta OPTIONS (path '<lake.path>/leads')}).
     */
    public static void print(SparkSession spark, EtlConfig cfg, PrintStream out) {
        Lake lake = Lake.readOnly(spark, cfg.lakePath());
        if (!lake.exists(Tables.get(Tables.LAKE_META))) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG, "no lake at " + cfg.lakePath() + " (lake.path): run ingest first");
        }
        LakeViews.register(lake);
        MartBuilder builder = new MartBuilder(lake);
        out.println("-- amocrm-etl marts over " + lake.root() + ", in build order.");
        for (Mart m : MartCatalog.all(cfg.marts().mybiViews())) {
            String sql = builder.sql(m);
            builder.dataset(m).createOrReplaceTempView(m.name());
            out.printf(
                    "%n-- %s (%s): %s%nCREATE OR REPLACE TEMPORARY VIEW %s AS%n%s;%n",
                    m.name(), m.kind().word(), m.description(), m.name(), sql);
        }
    }
}
