package io.amocrmetl.ingest;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.state.SyncState;
import java.time.Duration;
import java.time.Instant;

/**
 * An incremental run's cursor window (docs/lakehouse.md):
 * [watermark − overlap, server_now − margin], or on a first run
 * [server_now − history.initial-days, server_now − margin]. Ends come from the server's clock, never
 * the local one. Spark-free.
 *
 * @param from first second read (inclusive)
 * @param to last second read (inclusive): the new watermark once the window commits
 * @param first whether the table was never loaded
 */
record IngestWindow(long from, long to, boolean first) {

    static IngestWindow incremental(SyncState.Entry state, Instant serverNow, EtlConfig config) {
        long to = serverNow.minus(config.ingest().margin()).getEpochSecond();
        if (state.watermark() == null) {
            long from = serverNow
                    .minus(Duration.ofDays(config.history().initialDays()))
                    .getEpochSecond();
            return new IngestWindow(Math.min(from, to), to, true);
        }
        long from = state.watermark().minus(config.ingest().overlap()).getEpochSecond();
        // A retention cut-off: older rows are gone on purpose; do not read them back (docs/retention.md).
        if (state.retentionCutoff() != null) {
            from = Math.max(from, state.retentionCutoff().getEpochSecond());
        }
        return new IngestWindow(
                Math.min(from, to), Math.max(to, state.watermark().getEpochSecond()), false);
    }

    /**
     * The state after this window committed: the watermark never moves back, and coverage stays
     * contiguous ([coverage_start, watermark]). A window that touches the coverage extends it (an
     * incremental window starts at or before the watermark; a historical one ends at or after
     * coverage_start); a first window starts it; one below the coverage with a gap leaves it alone;
     * one above with a gap restarts it.
     */
    SyncState.Entry advance(SyncState.Entry state) {
        Instant end = Instant.ofEpochSecond(to);
        Instant start = Instant.ofEpochSecond(from);
        if (state.coverageStart() == null || state.watermark() == null) {
            return state.withWatermark(
                    state.watermark() == null || end.isAfter(state.watermark()) ? end : state.watermark(), start);
        }
        long coverFrom = state.coverageStart().getEpochSecond();
        long coverTo = state.watermark().getEpochSecond();
        Instant w = end.isAfter(state.watermark()) ? end : state.watermark();
        Instant coverage;
        if (from <= coverTo + 1 && to + 1 >= coverFrom) {
            coverage = from < coverFrom ? start : state.coverageStart();
        } else if (from > coverTo + 1) {
            coverage = start;
        } else {
            coverage = state.coverageStart();
            w = state.watermark();
        }
        return state.withWatermark(w, coverage);
    }

    /** The smallest window covering all the given ones (nulls skipped): one read serves them all. */
    static IngestWindow union(IngestWindow... windows) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (IngestWindow w : windows) {
            if (w != null) {
                from = Math.min(from, w.from);
                to = Math.max(to, w.to);
            }
        }
        return new IngestWindow(from, to, false);
    }

    Instant fromInstant() {
        return Instant.ofEpochSecond(from);
    }

    Instant toInstant() {
        return Instant.ofEpochSecond(to);
    }
}
