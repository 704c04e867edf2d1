package io.amocrmetl.cli;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.ingest.IngestJob;
import io.amocrmetl.lake.SparkSessions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ingest}: brings the lake up to date with the CRM, or fills a historical period. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Load everything that changed since the last run into the lake (a first run loads "
                    + "history.initial-days).",
            "With --from, fill a historical period instead, newest window first; "
                    + "each window commits on its own and a stopped or killed load resumes where it stopped."
        })
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(
            names = "--tables",
            split = ",",
            paramLabel = "a,b",
            description = "Load only these tables this run (overrides tables.<t>.enabled).")
    List<String> tables;

    @Option(
            names = "--from",
            paramLabel = "DATE",
            converter = InstantConverter.class,
            description = "Historical load from this date or instant (UTC), at most history.max-days back.")
    Instant from;

    @Option(
            names = "--to",
            paramLabel = "DATE",
            converter = InstantConverter.class,
            description = "End of the historical load (default: now).")
    Instant to;

    @Option(names = "--reload", description = "Read the historical period even where the lake already covers it.")
    boolean reload;

    @Option(
            names = "--max-requests",
            paramLabel = "N",
            description = "Stop at a window boundary once N requests were made (exit 6; the next run resumes).")
    Long maxRequests;

    @Option(
            names = "--max-minutes",
            paramLabel = "M",
            description = "Stop at a window boundary once M minutes passed (exit 6; the next run resumes).")
    Long maxMinutes;

    @Mixin
    WaitOption waitOption;

    @Override
    public Integer call() {
        if (to != null && from == null) {
            throw new EtlException(ExitCode.BAD_CONFIG, "--to needs --from (a historical load)");
        }
        if ((maxRequests != null && maxRequests < 1) || (maxMinutes != null && maxMinutes < 1)) {
            throw new EtlException(ExitCode.BAD_CONFIG, "--max-requests and --max-minutes must be at least 1");
        }
        Duration wait = waitOption.duration();
        EtlConfig cfg = config.load();
        var spark = SparkSessions.create("ingest");
        IngestJob.Result result = IngestJob.run(
                spark,
                cfg,
                config.asReaderOptions(),
                new IngestJob.Options(tables, from, to, reload, maxRequests, maxMinutes, wait),
                System.out);
        return result.exitCode().code;
    }

    /** A date (UTC midnight) or an ISO instant. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                try {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new picocli.CommandLine.TypeConversionException(
                            "'" + value + "' is not a date (2025-01-31) or an instant (2025-01-31T10:00:00Z)");
                }
            }
        }
    }
}
