package io.amocrmetl.reconcile;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * Periods of created_at in the account's time zone (docs/reconciliation.md: periods
 * are the account's calendar, not UTC's). Spark-free; {@link #sqlLabel} is the same labelling as a
 * Spark SQL expression over a UTC timestamp column, so the lake and the API rows are bucketed by
 * Spark exactly as this class splits ranges. Day boundaries come from the zone's rules, DST
 * included.
 */
final class Periods {
    private final ZoneId zone;
    private final Granularity granularity;

    Periods(ZoneId zone, Granularity granularity) {
        this.zone = zone;
        this.granularity = granularity;
    }

    ZoneId zone() {
        return zone;
    }

    Granularity granularity() {
        return granularity;
    }

    /** The label of the period holding instant {@code t}. */
    String label(Instant t) {
        return label(t.atZone(zone).toLocalDate());
    }

    String label(LocalDate d) {
        return switch (granularity) {
            case DAY -> d.toString();
            case MONTH -> YearMonth.from(d).toString();
            case WEEK ->
                String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        };
    }

    /** The first local day of the period holding {@code d}. */
    LocalDate firstDay(LocalDate d) {
        return switch (granularity) {
            case DAY -> d;
            case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> d.withDayOfMonth(1);
        };
    }

    private LocalDate nextFirstDay(LocalDate first) {
        return switch (granularity) {
            case DAY -> first.plusDays(1);
            case WEEK -> first.plusWeeks(1);
            case MONTH -> first.plusMonths(1);
        };
    }

    /** The first instant of a local day (not always midnight where DST starts at 00:00). */
    long start(LocalDate d) {
        return d.atStartOfDay(zone).toEpochSecond();
    }

    /** The periods covering [from, to] (inclusive epoch seconds), the first and last clipped to it. */
    List<Period> split(long from, long to) {
        List<Period> out = new ArrayList<>();
        LocalDate first = firstDay(Instant.ofEpochSecond(from).atZone(zone).toLocalDate());
        while (from <= to) {
            LocalDate next = nextFirstDay(first);
            long end = Math.min(to, start(next) - 1);
            if (end >= from) {
                out.add(new Period(label(first), from, end));
            }
            from = end + 1;
            first = next;
        }
        return out;
    }

    /**
     * The label of {@code column} (a UTC TIMESTAMP) as Spark SQL: the same text {@link #label}
     * gives. Spark's {@code weekofyear} is ISO-8601's week; the week's year is its Thursday's.
     */
    String sqlLabel(String column) {
        String local = "from_utc_timestamp(" + column + ", '" + zone.getId() + "')";
        return switch (granularity) {
            case DAY -> "date_format(" + local + ", 'yyyy-MM-dd')";
            case MONTH -> "date_format(" + local + ", 'yyyy-MM')";
            case WEEK -> {
                String d = "to_date(" + local + ")";
                yield "concat(cast(year(date_add(" + d + ", 3 - weekday(" + d + "))) AS STRING), '-W', "
                        + "lpad(cast(weekofyear(" + d + ") AS STRING), 2, '0'))";
            }
        };
    }
}
