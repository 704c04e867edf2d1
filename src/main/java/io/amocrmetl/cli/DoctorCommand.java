package io.amocrmetl.cli;

import io.amocrmetl.doctor.Doctor;
import io.amocrmetl.doctor.LakeProbeSink;
import io.amocrmetl.lake.SparkSessions;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code doctor [--probe]}: what is wrong before a long run, one line per check, with the fix. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Check the config, the lake, the token, the account and user, API filters, customers, the clock, "
                    + "the field mappings and the webhooks: one line each, ok, warning or error, with the fix.",
            "With --probe, also test (read-only, about 15 requests) what amoCRM's documentation leaves unverified (docs/amocrm-api.md §9): filters, "
                    + "bound inclusivity, tie order, the events page size, whether links and restores move updated_at; the "
                    + "findings are recorded in _sync_state and used by the next ingest."
        })
public final class DoctorCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--probe", description = "Also probe the account's API behaviour and record it.")
    boolean probe;

    @Override
    public Integer call() {
        return Doctor.run(
                config::load,
                probe,
                probe ? new LakeProbeSink(() -> SparkSessions.create("doctor")) : null,
                System.out,
                Clock.systemUTC());
    }
}
