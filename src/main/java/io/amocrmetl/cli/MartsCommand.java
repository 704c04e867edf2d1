package io.amocrmetl.cli;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.SparkSessions;
import io.amocrmetl.marts.MartsJob;
import io.amocrmetl.marts.MartsScript;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code marts}: builds the analysis marts over the lake (Delta tables under marts.path, and views). */
@Command(
        name = "marts",
        mixinStandardHelpOptions = true,
        description = {
            "Build the analysis marts from the SQL kept in the project: Delta tables under marts.path "
                    + "(leads_wide, sales_funnel, conversion_monthly, time_in_status, manager_stats, ga_client_id_coverage) "
                    + "and views (lead_facts, *_current, data_freshness, reconciliation_latest, the mybi views).",
            "Months and days are in each account's time zone. Run it after ingest."
        })
public final class MartsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--only", split = ",", paramLabel = "a,b", description = "Rewrite only these marts this run.")
    List<String> only;

    @Option(names = "--list", description = "List the marts (name, table or view, what it holds) and exit.")
    boolean list;

    @Option(
            names = "--sql",
            description = "Print every mart's SQL as one Spark SQL script (CREATE OR REPLACE "
                    + "TEMPORARY VIEW ... in build order, leads_wide's columns from this lake) and exit.")
    boolean sql;

    @Mixin
    WaitOption waitOption;

    @Override
    public Integer call() {
        Duration wait = waitOption.duration();
        EtlConfig cfg = config.load();
        if (list) {
            MartsScript.list(cfg, System.out);
            return ExitCode.OK.code;
        }
        var spark = SparkSessions.create("marts");
        if (sql) {
            MartsScript.print(spark, cfg, System.out);
            return ExitCode.OK.code;
        }
        MartsJob.run(spark, cfg, only, wait, System.out);
        return ExitCode.OK.code;
    }
}
