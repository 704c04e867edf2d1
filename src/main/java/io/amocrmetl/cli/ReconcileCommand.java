package io.amocrmetl.cli;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.SparkSessions;
import io.amocrmetl.reconcile.Granularity;
import io.amocrmetl.reconcile.ReconcileJob;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reconcile}: proves the lake matches amoCRM, and repairs it. */
@Command(
        name = "reconcile",
        mixinStandardHelpOptions = true,
        description = {
            "Compare the lake with amoCRM: lead counts and price sums per period, pipeline, status and tag, "
                    + "and every key of the checked tables; repair what differs through the ingest path.",
            "Judges the lake's coverage (clipped at retention cut-offs) unless --from/--to say otherwise. "
                    + "Exit 5 when something is still different."
        })
public final class ReconcileCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(
            names = "--from",
            paramLabel = "DATE",
            description =
                    "First day judged (in the account's time zone), or an instant; default: the coverage's start.")
    String from;

    @Option(
            names = "--to",
            paramLabel = "DATE",
            description = "Last day judged (inclusive), or an instant; default: the watermark.")
    String to;

    @Option(
            names = "--granularity",
            paramLabel = "month|week|day",
            description = "Periods of the lead aggregates (default: reconcile.granularity).")
    String granularity;

    @Option(
            names = "--repair",
            negatable = true,
            defaultValue = Option.NULL_VALUE,
            description = "Repair what differs (the default, reconcile.repair); --no-repair only reports.")
    Boolean repair;

    @Option(
            names = "--max-requests",
            paramLabel = "N",
            description = "Check as many periods as fit N requests; the next run goes on where this one stopped.")
    Long maxRequests;

    @Mixin
    WaitOption waitOption;

    @Override
    public Integer call() {
        if (maxRequests != null && maxRequests < 1) {
            throw new EtlException(ExitCode.BAD_CONFIG, "--max-requests must be at least 1");
        }
        Duration wait = waitOption.duration();
        Granularity g = granularity == null ? null : Granularity.parse(granularity, "--granularity");
        EtlConfig cfg = config.load();
        var spark = SparkSessions.create("reconcile");
        ReconcileJob.Result result = ReconcileJob.run(
                spark,
                cfg,
                config.asReaderOptions(),
                new ReconcileJob.Options(from, to, g, repair, maxRequests, wait),
                System.out);
        return result.exitCode().code;
    }
}
