package io.amocrmetl.cli;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.ingest.IngestJob;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ingest}: brings the lake up to date with the CRM. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Load everything that changed since the last run into the lake (a first run loads "
                + "history.initial-days).")
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--tables", split = ",", paramLabel = "a,b",
            description = "Load only these tables this run (overrides tables.<t>.enabled).")
    List<String> tables;

    @Override
    public Integer call() {
        EtlConfig cfg = config.load();
        var spark = SparkSessions.create("ingest");
        IngestJob.run(spark, cfg, config.asReaderOptions(), new IngestJob.Options(tables), System.out);
        return ExitCode.OK.code;
    }
}
