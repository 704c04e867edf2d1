package io.amocrmetl.ingest;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.state.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The windows one table reads in one run, Spark-free: incremental runs oldest first (the watermark
 * advances window by window), historical loads newest first below the coverage (the contiguous
 * coverage grows downwards), so a run stopped by its budget or killed resumes where it stopped.
 * Nothing below the retention cut-off is read: those rows were deleted on purpose.
 * See docs/lakehouse.md, docs/historical-loads.md and docs/retention.md.
 */
final class LoadPlan {
    private LoadPlan() {}

    static WindowSource incremental(SyncState.Entry state, Instant serverNow, EtlConfig config) {
        IngestWindow whole = IngestWindow.incremental(state, serverNow, config);
        return source(aboveCutoff(whole.from(), state), whole.to(), config, false, whole.first());
    }

    /** {@code from}, or the table's retention cut-off when that is later. */
    static long aboveCutoff(long from, SyncState.Entry state) {
        return state.retentionCutoff() == null
                ? from
                : Math.max(from, state.retentionCutoff().getEpochSecond());
    }

    /** Windows over [from, to], sized by ingest.window and ingest.window-rows. */
    static WindowSource source(long from, long to, EtlConfig config, boolean backwards, boolean first) {
        return new WindowSource(
                from, to, config.ingest().window().getSeconds(), config.ingest().windowRows(), backwards, first);
    }

    /**
     * @param from the first second to load
     * @param to the last second (null: server_now − margin)
     * @param reload read the range even where the table's coverage already holds it
     */
    static WindowSource historical(
            SyncState.Entry state, Instant serverNow, EtlConfig config, Instant from, Instant to, boolean reload) {
        long end = to != null
                ? to.getEpochSecond()
                : serverNow.minus(config.ingest().margin()).getEpochSecond();
        long start = from.getEpochSecond();
        Instant deepest = serverNow.minus(Duration.ofDays(config.history().maxDays()));
        if (from.isBefore(deepest)) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "--from " + from + " is deeper than history.max-days ("
                            + config.history().maxDays() + " days, so not before " + deepest
                            + "); raise history.max-days to go further");
        }
        if (start > end) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG, "--from " + from + " is after --to " + Instant.ofEpochSecond(end));
        }
        start = aboveCutoff(start, state);
        if (start > end) {
            return WindowSource.empty(); // the whole range lies below the retention cut-off
        }
        if (!reload && state.coverageStart() != null && state.watermark() != null) {
            long coverFrom = state.coverageStart().getEpochSecond();
            long coverTo = state.watermark().getEpochSecond();
            // Above the watermark is incremental runs' part; what the coverage holds is loaded.
            end = Math.min(end, coverTo);
            if (start >= coverFrom) {
                return WindowSource.empty();
            }
            if (end >= coverFrom - 1) {
                end = coverFrom - 1; // only what lies below the coverage
            }
        }
        return source(start, end, config, true, false);
    }

    /** [from, to] in windows of at most {@code size} seconds; newest first when {@code backwards}. */
    static List<IngestWindow> split(long from, long to, long size, boolean backwards, boolean first) {
        List<IngestWindow> out = new ArrayList<>();
        if (from > to) {
            return out;
        }
        if (backwards) {
            for (long hi = to; hi >= from; hi -= size) {
                out.add(new IngestWindow(Math.max(from, hi - size + 1), hi, first));
            }
        } else {
            for (long lo = from; lo <= to; lo += size) {
                out.add(new IngestWindow(lo, Math.min(to, lo + size - 1), first));
            }
        }
        return out;
    }
}
