package io.amocrmetl.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.amocrmetl.core.EtlException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Periods of created_at in the account's time zone, and the range arguments read in it. */
class PeriodsTest {
    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    static long s(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }

    @Test
    void aLeadLateOnMarch31stUtcIsAprilInMoscow() {
        Instant t = Instant.parse("2025-03-31T21:30:00Z");
        assertEquals("2025-04", new Periods(MOSCOW, Granularity.MONTH).label(t));
        assertEquals("2025-03", new Periods(ZoneOffset.UTC, Granularity.MONTH).label(t));
        assertEquals("2025-04-01", new Periods(MOSCOW, Granularity.DAY).label(t));
        assertEquals("2025-03-31", new Periods(ZoneOffset.UTC, Granularity.DAY).label(t));
        // 20:59:59Z is still March 31st 23:59:59 in Moscow (UTC+3).
        assertEquals("2025-03", new Periods(MOSCOW, Granularity.MONTH).label(Instant.parse("2025-03-31T20:59:59Z")));
        assertEquals("2025-04", new Periods(MOSCOW, Granularity.MONTH).label(Instant.parse("2025-03-31T21:00:00Z")));
    }

    @Test
    void weeksAreIsoWeeksWithTheirWeekBasedYear() {
        Periods w = new Periods(ZoneOffset.UTC, Granularity.WEEK);
        assertEquals("2025-W14", w.label(Instant.parse("2025-03-31T00:00:00Z"))); // a Monday
        assertEquals("2025-W14", w.label(Instant.parse("2025-04-06T23:59:59Z"))); // its Sunday
        assertEquals("2025-W15", w.label(Instant.parse("2025-04-07T00:00:00Z")));
        // 2024-12-30 (a Monday) is in ISO week 1 of 2025; 2021-01-03 (a Sunday) in week 53 of 2020.
        assertEquals("2025-W01", w.label(Instant.parse("2024-12-30T12:00:00Z")));
        assertEquals("2020-W53", w.label(Instant.parse("2021-01-03T12:00:00Z")));
    }

    @Test
    void aRangeSplitsIntoPeriodsClippedAtItsEnds() {
        Periods m = new Periods(MOSCOW, Granularity.MONTH);
        List<Period> p = m.split(s("2025-02-10T00:00:00Z"), s("2025-04-05T00:00:00Z"));
        assertEquals(
                List.of("2025-02", "2025-03", "2025-04"),
                p.stream().map(Period::label).toList());
        assertEquals(s("2025-02-10T00:00:00Z"), p.get(0).from());
        assertEquals(s("2025-02-28T20:59:59Z"), p.get(0).to(), "February ends at Moscow midnight");
        assertEquals(s("2025-02-28T21:00:00Z"), p.get(1).from());
        assertEquals(s("2025-03-31T20:59:59Z"), p.get(1).to());
        assertEquals(s("2025-04-05T00:00:00Z"), p.get(2).to());
        // Contiguous: every second of the range in exactly one period.
        for (int i = 1; i < p.size(); i++) {
            assertEquals(p.get(i - 1).to() + 1, p.get(i).from());
        }
        assertEquals(
                List.of("2025-04-05"),
                new Periods(MOSCOW, Granularity.DAY)
                        .split(s("2025-04-05T00:00:00Z"), s("2025-04-05T00:00:00Z")).stream()
                                .map(Period::label)
                                .toList());
    }

    @Test
    void daysFollowDaylightSavingTime() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        List<Period> p =
                new Periods(berlin, Granularity.DAY).split(s("2025-03-29T23:00:00Z"), s("2025-03-31T21:59:59Z"));
        assertEquals(
                List.of("2025-03-30", "2025-03-31"),
                p.stream().map(Period::label).toList());
        assertEquals(23 * 3600 - 1, p.get(0).to() - p.get(0).from(), "the day clocks go forward has 23 hours");
        assertEquals(s("2025-03-30T22:00:00Z"), p.get(1).from());
    }

    @Test
    void theSqlLabelIsTheSameCalendar() {
        assertEquals(
                "date_format(from_utc_timestamp(created_at, 'Europe/Moscow'), 'yyyy-MM')",
                new Periods(MOSCOW, Granularity.MONTH).sqlLabel("created_at"));
        String week = new Periods(ZoneOffset.UTC, Granularity.WEEK).sqlLabel("c");
        assertEquals(true, week.contains("weekofyear") && week.contains("3 - weekday"), week);
    }

    @Test
    void rangeArgumentsAreDaysOfTheAccountsCalendar() {
        assertEquals(Instant.parse("2025-03-31T21:00:00Z"), RangeArgs.bound("2025-04-01", MOSCOW, false, "--from"));
        assertEquals(Instant.parse("2025-04-30T20:59:59Z"), RangeArgs.bound("2025-04-30", MOSCOW, true, "--to"));
        assertEquals(
                Instant.parse("2025-04-30T10:00:00Z"), RangeArgs.bound("2025-04-30T10:00:00Z", MOSCOW, true, "--to"));
        EtlException e = assertThrows(EtlException.class, () -> RangeArgs.bound("April", MOSCOW, false, "--from"));
        assertEquals(true, e.getMessage().startsWith("--from must be a date"), e.getMessage());
        assertEquals(Granularity.WEEK, Granularity.parse(" Week ", "--granularity"));
        assertThrows(EtlException.class, () -> Granularity.parse("year", "--granularity"));
    }
}
