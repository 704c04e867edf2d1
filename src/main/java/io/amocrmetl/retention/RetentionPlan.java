package io.amocrmetl.retention;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.RetentionSettings;
import io.amocrmetl.state.SyncState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What one retention run deletes, Spark-free (docs/retention.md): per rule,
 * the cut-off at the server's time, the predicate that picks the older rows, and the child tables
 * whose rows go with them; and how {@code _sync_state} records it.
 */
final class RetentionPlan {
    private RetentionPlan() {}

    /**
     * One table's deletion.
     *
     * @param parentKey the parent's key column (after account_id) that child rows name
     * @param children the registry's child tables of the table, deleted before it
     */
    record Cut(String table, String column, int days, Instant cutoff, String parentKey, List<LakeTable> children) {
        /** The rows that go: older than the cut-off (a null age is never judged old). */
        String older() {
            return "`" + column + "` < timestamp_seconds(" + cutoff.getEpochSecond() + "L)";
        }

        /** What the journal and the output say about the rule. */
        String describe() {
            return "older than " + cutoff + " by " + column + " (" + days + " days)";
        }
    }

    /** The run's deletions, in the registry's order of entity tables. */
    static List<Cut> cuts(RetentionSettings settings, Instant now) {
        List<Cut> out = new ArrayList<>();
        for (LakeTable t : Tables.all()) {
            RetentionSettings.Rule rule = settings.rule(t.name());
            if (t.role() != LakeTable.Role.ENTITY || rule == null) {
                continue;
            }
            List<LakeTable> children = Tables.childrenOf(t.name());
            List<String> key = t.key().subList(1, t.key().size());
            if (!children.isEmpty() && key.size() != 1) {
                // The registry's child tables name their parent by one id column.
                throw new IllegalStateException(t.name() + " has child tables but a key of " + key);
            }
            out.add(new Cut(t.name(), rule.column(), rule.days(), rule.cutoff(now), key.get(key.size() - 1), children));
        }
        return out;
    }

    /**
     * The table's state with the cut-off recorded. Coverage ([coverage_start, watermark]) promises
     * every entity created at or after coverage_start is in the lake; below the cut-off that is no
     * longer so, so coverage_start moves up to it (never down): reconciliation judges only the
     * coverage, and a historical load fills only what lies below it, clipped at the cut-off.
     */
    static SyncState.Entry recorded(SyncState.Entry state, Instant cutoff) {
        Instant coverage = state.coverageStart();
        if (coverage != null && coverage.isBefore(cutoff)) {
            coverage = cutoff;
        }
        return state.withWatermark(state.watermark(), coverage).withRetentionCutoff(cutoff);
    }

    /**
     * Entity tables with a cut-off recorded by an earlier run and no rule now: the rule was
     * removed, so its cut-off is lifted and a historical load may fill below it again.
     */
    static List<SyncState.Entry> lifted(RetentionSettings settings, Function<String, SyncState.Entry> state) {
        List<SyncState.Entry> out = new ArrayList<>();
        for (LakeTable t : Tables.all()) {
            if (t.role() != LakeTable.Role.ENTITY || settings.rule(t.name()) != null) {
                continue;
            }
            SyncState.Entry e = state.apply(t.name());
            if (e.retentionCutoff() != null) {
                out.add(e.withRetentionCutoff(null));
            }
        }
        return out;
    }
}
