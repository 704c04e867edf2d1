package io.amocrmetl.cli;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.SparkSessions;
import io.amocrmetl.retention.RetentionJob;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code retention}: deletes rows older than each table's rule, then maintains the lake. */
@Command(
        name = "retention",
        mixinStandardHelpOptions = true,
        description = {
            "Delete rows older than retention.tables.<t>.days (with their child rows) and record the "
                    + "cut-offs, so ingest does not bring them back; then OPTIMIZE, VACUUM and checkpoint the lake.",
            "Tables without a rule are never touched. Makes one request to amoCRM, for the account and the "
                    + "server's time."
        })
public final class RetentionCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(
            names = "--dry-run",
            description = "Print per table how many rows would go and what maintenance would do; " + "change nothing.")
    boolean dryRun;

    @Mixin
    WaitOption waitOption;

    @Override
    public Integer call() {
        Duration wait = waitOption.duration();
        EtlConfig cfg = config.load(); // a bad rule stops here, before Spark starts
        var spark = SparkSessions.create("retention");
        RetentionJob.run(spark, cfg, new RetentionJob.Options(dryRun, wait), System.out);
        return ExitCode.OK.code;
    }
}
