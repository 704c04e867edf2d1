package io.amocrmetl.cli;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.SparkSessions;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code journal}: the latest runs as a table (from {@code _journal}). */
@Command(
        name = "journal",
        mixinStandardHelpOptions = true,
        description = "Print the latest runs from _journal, one line per table.")
public final class JournalCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(
            names = "--runs",
            defaultValue = "5",
            description = "How many of the latest runs (default ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() {
        EtlConfig cfg = config.load();
        var spark = SparkSessions.create("journal");
        Lake lake = Lake.readOnly(spark, cfg.lakePath());
        if (!lake.exists(Tables.get(Tables.JOURNAL))) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG, "no journal at " + lake.path(Tables.JOURNAL) + ": run ingest first");
        }
        lake.read(Tables.JOURNAL).createOrReplaceTempView("j");
        List<Row> rows = spark.sql("SELECT j.* FROM j JOIN (SELECT run_id, min(started_at) AS s FROM j GROUP BY run_id "
                        + "ORDER BY s DESC LIMIT " + runs
                        + ") r ON j.run_id = r.run_id ORDER BY r.s DESC, j.started_at")
                .collectAsList();
        System.out.printf(
                "%-19s %-8s %-10s %-26s %-8s %9s %9s %8s %7s  %s%n",
                "started (UTC)", "run", "job", "table", "status", "read", "written", "requests", "seconds", "error");
        for (Row r : rows) {
            Timestamp at = r.getTimestamp(r.fieldIndex("started_at"));
            String started = at == null ? "" : at.toInstant().toString().replace('T', ' ');
            System.out.printf(
                    "%-19.19s %-8.8s %-10s %-26s %-8s %9d %9d %8d %7.1f  %s%n",
                    started,
                    r.<String>getAs("run_id"),
                    r.<String>getAs("job"),
                    r.<String>getAs("table_name"),
                    r.<String>getAs("status"),
                    (long) r.getAs("rows_read"),
                    (long) r.getAs("rows_upserted"),
                    (long) r.getAs("requests"),
                    (double) r.getAs("seconds"),
                    r.getAs("error") == null ? "" : r.<String>getAs("error"));
        }
        return ExitCode.OK.code;
    }
}
