package io.amocrmetl.cli;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.SparkSessions;
import io.amocrmetl.marts.MartViews;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sql "QUERY"}: one JSON object per row; every lake table and mart is a view by its name. */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = "Run a Spark SQL query over the lake and print one JSON object per row. Every lake table is a "
                + "view by its name (leads, lead_contacts, _journal, ...), and so is every mart (leads_wide, leads_current, "
                + "sales_funnel, ...; see marts --list).")
public final class SqlCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Parameters(index = "0", paramLabel = "QUERY", description = "The query, e.g. \"SELECT count(*) FROM leads\".")
    String query;

    @Override
    public Integer call() {
        EtlConfig cfg = config.load();
        var spark = SparkSessions.create("sql");
        Lake lake = Lake.readOnly(spark, cfg.lakePath());
        if (lake.registerViews().isEmpty()) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG, "no lake at " + cfg.lakePath() + " (lake.path): run ingest first");
        }
        // The marts by name too (leads_wide, leads_current, sales_funnel, ...): built ones as of `marts`.
        try {
            if (MartViews.mentioned(query, cfg.marts())) {
                MartViews.register(lake, cfg.marts());
            }
        } catch (Exception e) { // a mart that cannot be defined must not take the lake's tables away
            System.err.println("amocrm-etl: marts not registered: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        try {
            for (String line : spark.sql(query).toJSON().collectAsList()) {
                System.out.println(line);
            }
        } catch (Exception e) { // Spark's AnalysisException is a Scala (so undeclared) checked exception
            if (e.getClass().getName().contains("AnalysisException")
                    || e.getClass().getName().contains("Parse")) {
                throw new EtlException(
                        ExitCode.BAD_CONFIG,
                        "sql: " + e.getMessage().lines().findFirst().orElse(""));
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        return ExitCode.OK.code;
    }
}
