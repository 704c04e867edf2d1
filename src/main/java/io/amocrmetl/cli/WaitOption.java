package io.amocrmetl.cli;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --wait MINUTES}: what a job that writes an account does when another job holds that
 * account's lease (docs/lakehouse.md, "One writer per account"): by default it exits 7 at once.
 */
public final class WaitOption {
    @Option(
            names = "--wait",
            paramLabel = "MINUTES",
            description = "If another job holds this account, wait up to this long for it (default: exit 7 at once).")
    Long minutes;

    /** The wait, zero when not given; exit 2 when negative. */
    public Duration duration() {
        if (minutes != null && minutes < 0) {
            throw new EtlException(ExitCode.BAD_CONFIG, "--wait must be 0 or more minutes");
        }
        return Duration.ofMinutes(minutes == null ? 0 : minutes);
    }
}
