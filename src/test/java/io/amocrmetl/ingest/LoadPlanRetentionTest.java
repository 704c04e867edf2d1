package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.amocrmetl.state.SyncState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ingest plans never read below a table's retention cut-off (docs/retention.md):
 * not on a first run, not incrementally, not in a historical load.
 */
class LoadPlanRetentionTest {
    static final long DAY = LoadPlanTest.DAY;
    static final Instant NOW = LoadPlanTest.NOW;
    static final Instant CUTOFF = NOW.minusSeconds(30 * DAY);

    static SyncState.Entry state(Long coverFrom, Long watermark, Instant cutoff) {
        return LoadPlanTest.state(coverFrom, watermark).withRetentionCutoff(cutoff);
    }

    @Test
    void aFirstRunStartsAtTheCutoffWhenInitialDaysReachBelowIt() {
        var config = io.amocrmetl.config.EtlConfig.load(
                null, java.util.Map.of("history.initial-days", "90", "ingest.margin", "0s", "history.max-days", "400"));
        List<IngestWindow> w = LoadPlanTest.drain(LoadPlan.incremental(state(null, null, CUTOFF), NOW, config), x -> 1);
        assertEquals(CUTOFF.getEpochSecond(), w.get(0).from());
        List<IngestWindow> free =
                LoadPlanTest.drain(LoadPlan.incremental(state(null, null, null), NOW, config), x -> 1);
        assertEquals(NOW.getEpochSecond() - 90 * DAY, free.get(0).from(), "without a cut-off, initial-days");
    }

    @Test
    void anIncrementalRunAfterALongPauseStartsAtTheCutoff() {
        long watermark = NOW.getEpochSecond() - 60 * DAY;
        List<IngestWindow> w = LoadPlanTest.drain(
                LoadPlan.incremental(state(watermark - DAY, watermark, CUTOFF), NOW, LoadPlanTest.CONFIG), x -> 1);
        assertEquals(CUTOFF.getEpochSecond(), w.get(0).from());
    }

    @Test
    void aHistoricalLoadIsClippedAtTheCutoffAndSkippedBelowIt() {
        long watermark = NOW.getEpochSecond();
        SyncState.Entry s = state(CUTOFF.getEpochSecond(), watermark, CUTOFF);
        // Coverage starts at the cut-off (retention raised it): nothing below is read.
        assertFalse(LoadPlan.historical(s, NOW, LoadPlanTest.CONFIG, NOW.minusSeconds(200 * DAY), null, false)
                .hasNext());
        List<IngestWindow> reload = LoadPlanTest.drain(
                LoadPlan.historical(s, NOW, LoadPlanTest.CONFIG, NOW.minusSeconds(200 * DAY), null, true), x -> 1);
        assertEquals(
                CUTOFF.getEpochSecond(), reload.get(reload.size() - 1).from(), "a reload stops at the cut-off too");
        assertFalse(
                LoadPlan.historical(
                                s,
                                NOW,
                                LoadPlanTest.CONFIG,
                                NOW.minusSeconds(200 * DAY),
                                NOW.minusSeconds(100 * DAY),
                                true)
                        .hasNext(),
                "a range wholly below the cut-off reads nothing");
        SyncState.Entry shallow = state(NOW.getEpochSecond() - 2 * DAY, watermark, CUTOFF);
        List<IngestWindow> fill = LoadPlanTest.drain(
                LoadPlan.historical(shallow, NOW, LoadPlanTest.CONFIG, NOW.minusSeconds(200 * DAY), null, false),
                x -> 1);
        assertEquals(CUTOFF.getEpochSecond(), fill.get(fill.size() - 1).from());
        assertEquals(NOW.getEpochSecond() - 2 * DAY - 1, fill.get(0).to(), "down from the coverage");
    }
}
