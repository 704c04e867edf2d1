package io.amocrmetl.reconcile;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * {@code --from} and {@code --to} of reconcile: a date is a day of the account's calendar (the
 * periods' calendar), so {@code --from 2025-04-01 --to 2025-04-30} is April there; an ISO instant
 * is taken as it is. Spark-free.
 */
final class RangeArgs {
    private RangeArgs() {}

    /**
     * @param end whether this is the range's end: a date then means its last second
     * @return the bound
     */
    static Instant bound(String text, ZoneId zone, boolean end, String option) {
        String v = text.trim();
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException ignored) {
            // not an instant
        }
        try {
            LocalDate d = LocalDate.parse(v);
            return end
                    ? d.plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(1)
                    : d.atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    option + " must be a date (2025-01-31, in the account's time zone) "
                            + "or an instant (2025-01-31T10:00:00Z), got '" + text + "'");
        }
    }
}
