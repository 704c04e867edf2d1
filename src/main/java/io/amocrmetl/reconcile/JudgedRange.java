package io.amocrmetl.reconcile;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.state.SyncState;
import java.time.Instant;

/**
 * The range of created_at a reconcile judges for one table: the coverage (docs/lakehouse.md),
 * starting no earlier than the retention cut-off, since data retention removed is never "missing".
 * An explicit --from/--to must lie inside, or the run is refused with the reason. Spark-free.
 *
 * @param from first second judged (inclusive, epoch seconds)
 * @param to last second judged (inclusive)
 */
record JudgedRange(long from, long to) {

    /**
     * The retention cut-off recorded for a table: rows before it were deleted on purpose
     * ({@code _sync_state.retention_cutoff}, docs/retention.md), or null.
     */
    static Instant retentionCutoff(SyncState.Entry state) {
        return state.retentionCutoff();
    }

    /**
     * @param askedFrom --from (null: the coverage's start)
     * @param askedTo --to (null: the watermark)
     * @return the range, or null when the table was never loaded (nothing to judge)
     */
    static JudgedRange of(String table, SyncState.Entry state, Instant askedFrom, Instant askedTo) {
        if (state.watermark() == null || state.coverageStart() == null) {
            if (askedFrom != null || askedTo != null) {
                throw new EtlException(
                        ExitCode.BAD_CONFIG,
                        "reconcile: " + table + " was never loaded, so the lake covers "
                                + "no range of it; run ingest first");
            }
            return null;
        }
        long start = state.coverageStart().getEpochSecond();
        Instant cutoff = retentionCutoff(state);
        if (cutoff != null) {
            start = Math.max(start, cutoff.getEpochSecond());
        }
        long end = state.watermark().getEpochSecond();
        if (askedFrom == null && askedTo == null && start > end) {
            return null; // retention removed all of it
        }
        long from = askedFrom == null ? start : askedFrom.getEpochSecond();
        long to = askedTo == null ? end : askedTo.getEpochSecond();
        if (from > to) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "reconcile: --from " + Instant.ofEpochSecond(from) + " is after --to " + Instant.ofEpochSecond(to)
                            + (askedTo == null ? " (the watermark of " + table + ")" : ""));
        }
        if (from < start) {
            if (cutoff != null && from < cutoff.getEpochSecond()) {
                throw new EtlException(
                        ExitCode.BAD_CONFIG,
                        "reconcile: --from " + Instant.ofEpochSecond(from) + " is before "
                                + table + "'s retention cut-off " + cutoff
                                + ": retention removed that data on purpose, so it "
                                + "cannot be compared; choose --from at or after the cut-off");
            }
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "reconcile: --from " + Instant.ofEpochSecond(from) + " is outside "
                            + "the lake's coverage of " + table + ", which starts at " + state.coverageStart()
                            + " (_sync_state): "
                            + "older entities may never have been loaded, so a comparison would only report them missing. Load "
                            + "the period first (ingest --from " + Instant.ofEpochSecond(from)
                            + ") or choose a later --from");
        }
        if (to > end) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "reconcile: --to " + Instant.ofEpochSecond(to) + " is after the "
                            + "lake's coverage of " + table + ", which ends at its watermark " + state.watermark()
                            + " (_sync_state): "
                            + "run ingest first or choose an earlier --to");
        }
        return new JudgedRange(from, to);
    }
}
