package io.amocrmetl.reconcile;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.util.Locale;

/** The length of a reconciliation period: a calendar month, an ISO week (Monday first), or a day. */
public enum Granularity {
    DAY,
    WEEK,
    MONTH;

    /** Parses {@code month}, {@code week} or {@code day}; {@code what} names the option or key for the error. */
    public static Granularity parse(String text, String what) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new EtlException(ExitCode.BAD_CONFIG, what + " must be month, week or day, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
