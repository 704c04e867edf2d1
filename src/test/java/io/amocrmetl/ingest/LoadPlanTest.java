package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.state.SyncState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/** Windows, watermarks and coverage without Spark (docs/lakehouse.md). */
class LoadPlanTest {
    static final long DAY = 86_400;
    static final Instant NOW = Instant.ofEpochSecond(1_000 * DAY);
    static final EtlConfig CONFIG = EtlConfig.load(
            null,
            Map.of(
                    "ingest.window",
                    "7d",
                    "ingest.margin",
                    "0s",
                    "ingest.overlap",
                    "10m",
                    "history.max-days",
                    "400",
                    "ingest.window-rows",
                    "1000"));

    static SyncState.Entry state(Long coverFrom, Long watermark) {
        return new SyncState.Entry(
                "leads",
                watermark == null ? null : Instant.ofEpochSecond(watermark),
                coverFrom == null ? null : Instant.ofEpochSecond(coverFrom),
                null,
                null,
                null);
    }

    /** All windows of a source, each "holding" rows(window) rows. */
    static List<IngestWindow> drain(WindowSource s, ToLongFunction<IngestWindow> rows) {
        List<IngestWindow> out = new ArrayList<>();
        while (s.hasNext()) {
            IngestWindow w = s.next();
            out.add(w);
            s.observe(rows.applyAsLong(w));
        }
        return out;
    }

    @Test
    void aFirstRunCoversInitialDaysAndAnIncrementalRunOverlapsTheWatermark() {
        List<IngestWindow> first = drain(LoadPlan.incremental(state(null, null), NOW, CONFIG), w -> 10);
        assertEquals(1, first.size());
        assertEquals(NOW.getEpochSecond() - 2 * DAY, first.get(0).from());
        SyncState.Entry after = first.get(0).advance(state(null, null));
        assertEquals(NOW, after.watermark());
        assertEquals(Instant.ofEpochSecond(NOW.getEpochSecond() - 2 * DAY), after.coverageStart());
        List<IngestWindow> next = drain(LoadPlan.incremental(after, NOW.plusSeconds(3600), CONFIG), w -> 1);
        assertEquals(NOW.getEpochSecond() - 600, next.get(0).from(), "10 minutes of overlap");
        assertEquals(after.coverageStart(), next.get(0).advance(after).coverageStart(), "coverage stays contiguous");
    }

    @Test
    void windowsAreContiguousAndSizedByTheRowsTheyHold() {
        long from = NOW.getEpochSecond() - 390 * DAY;
        List<IngestWindow> sparse =
                drain(new WindowSource(from, NOW.getEpochSecond(), 7 * DAY, 1000, false, false), w -> 5);
        assertTrue(sparse.size() <= 5, "sparse history grows the windows: " + sparse.size());
        List<IngestWindow> dense = drain(
                new WindowSource(from, NOW.getEpochSecond(), 7 * DAY, 1000, false, false),
                w -> (w.to() - w.from() + 1) / 60); // a row a minute: 10,080 a week
        assertTrue(dense.size() > 100, "dense history shrinks them toward 1,000 rows: " + dense.size());
        for (List<IngestWindow> ws : List.of(sparse, dense)) {
            assertEquals(from, ws.get(0).from());
            assertEquals(NOW.getEpochSecond(), ws.get(ws.size() - 1).to());
            for (int i = 1; i < ws.size(); i++) {
                assertEquals(ws.get(i - 1).to() + 1, ws.get(i).from(), "no gap, no overlap");
            }
        }
        assertTrue(dense.stream()
                .allMatch(w -> w.to() - w.from() + 1 >= WindowSource.MIN_SECONDS || w.to() == NOW.getEpochSecond()));
    }

    @Test
    void aLongCatchUpGoesForwardAndNeverMovesTheWatermarkBack() {
        SyncState.Entry old = state(NOW.getEpochSecond() - 40 * DAY, NOW.getEpochSecond() - 30 * DAY);
        List<IngestWindow> w = drain(LoadPlan.incremental(old, NOW, CONFIG), x -> 2000);
        assertTrue(w.size() > 1);
        assertTrue(w.get(0).from() < w.get(1).from(), "oldest first");
        SyncState.Entry s = old;
        for (IngestWindow x : w) {
            SyncState.Entry n = x.advance(s);
            assertFalse(n.watermark().isBefore(s.watermark()), "the watermark never moves back");
            assertEquals(old.coverageStart(), n.coverageStart());
            s = n;
        }
        assertEquals(NOW, s.watermark());
    }

    @Test
    void aHistoricalLoadGoesBackwardsBelowCoverageAndResumes() {
        SyncState.Entry s = state(NOW.getEpochSecond() - 2 * DAY, NOW.getEpochSecond());
        Instant from = NOW.minusSeconds(60 * DAY);
        WindowSource src = LoadPlan.historical(s, NOW, CONFIG, from, null, false);
        IngestWindow w0 = src.next();
        src.observe(2000);
        IngestWindow w1 = src.next();
        assertEquals(NOW.getEpochSecond() - 2 * DAY - 1, w0.to(), "only what lies below the coverage");
        assertTrue(w0.from() > w1.from(), "newest first");
        // Two windows commit, then the run stops: coverage is contiguous and a re-run resumes below it.
        s = w1.advance(w0.advance(s));
        assertEquals(w1.from(), s.coverageStart().getEpochSecond());
        assertEquals(NOW, s.watermark(), "a historical load never moves the watermark back");
        List<IngestWindow> resumed = drain(LoadPlan.historical(s, NOW, CONFIG, from, null, false), x -> 100);
        assertEquals(w1.from() - 1, resumed.get(0).to());
        for (IngestWindow x : resumed) {
            s = x.advance(s);
        }
        assertEquals(from, s.coverageStart());
        assertFalse(LoadPlan.historical(s, NOW, CONFIG, from, null, false).hasNext(), "nothing left to load");
        assertTrue(
                LoadPlan.historical(s, NOW, CONFIG, from, NOW.minusSeconds(2 * DAY + 1), true)
                        .hasNext(),
                "a reload reads again");
    }

    @Test
    void aHistoricalLoadOnAFreshTableStartsCoverageAtItsNewestWindow() {
        WindowSource src = LoadPlan.historical(state(null, null), NOW, CONFIG, NOW.minusSeconds(20 * DAY), null, false);
        IngestWindow w = src.next();
        SyncState.Entry s = w.advance(state(null, null));
        assertEquals(NOW, s.watermark());
        assertEquals(w.from(), s.coverageStart().getEpochSecond());
    }

    @Test
    void aGapBelowCoverageLeavesItAlone() {
        SyncState.Entry s = state(NOW.getEpochSecond() - 2 * DAY, NOW.getEpochSecond());
        IngestWindow below = new IngestWindow(NOW.getEpochSecond() - 30 * DAY, NOW.getEpochSecond() - 20 * DAY, false);
        SyncState.Entry after = below.advance(s);
        assertEquals(s.coverageStart(), after.coverageStart());
        assertEquals(s.watermark(), after.watermark());
    }

    @Test
    void deeperThanMaxDaysIsRefused() {
        EtlException e = assertThrows(
                EtlException.class,
                () -> LoadPlan.historical(state(null, null), NOW, CONFIG, NOW.minusSeconds(500 * DAY), null, false));
        assertTrue(e.getMessage().contains("history.max-days"), e.getMessage());
    }
}
