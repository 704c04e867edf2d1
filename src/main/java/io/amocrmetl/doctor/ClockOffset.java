package io.amocrmetl.doctor;

import io.amocrmetl.core.ExitCode;
import java.time.Duration;
import java.time.Instant;

/**
 * This host's clock against the server's {@code Date}. Windows are cut by the server's clock
 * (docs/lakehouse.md), so a skew does not lose rows; but token expiry is judged locally, and an
 * OAuth refresh runs 10 minutes early, so a skew beyond that makes calls with expired tokens.
 * The {@code Date} header has whole seconds, so offsets under a few seconds are noise.
 */
final class ClockOffset {
    static final Duration WARN = Duration.ofSeconds(60);
    static final Duration ERROR = Duration.ofMinutes(10);

    private ClockOffset() {}

    /** @param local this host's clock when the response arrived */
    static Check judge(Instant server, Instant local) {
        if (server == null) {
            return Check.warning("clock", "the server sent no Date header, so the offset is unknown", "none needed");
        }
        Duration offset = Duration.between(server, local);
        long s = offset.getSeconds();
        String text = "this host is " + Math.abs(s) + " s " + (s >= 0 ? "ahead of" : "behind") + " the server's Date";
        if (offset.abs().compareTo(ERROR) > 0) {
            return Check.error(
                    "clock",
                    text,
                    "synchronise the host clock (NTP): token expiry is judged by it",
                    ExitCode.UNEXPECTED);
        }
        if (offset.abs().compareTo(WARN) > 0) {
            return Check.warning(
                    "clock",
                    text,
                    "synchronise the host clock (NTP); windows follow the server's clock, but "
                            + "token refreshes follow this one");
        }
        return Check.ok("clock", text);
    }
}
