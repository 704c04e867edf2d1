package io.amocrmetl.state;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_seconds;

import io.amocrmetl.config.RetentionSettings;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Keeps rows older than a table's recorded retention cut-off out of the lake, so ingest does not
 * bring deleted rows back (docs/retention.md). Ingest windows are clipped at the cut-off, but some
 * reads reach below it (the events read shared with lead_status_history, re-reads by id, rows
 * created before a created_at cut-off and changed after it), so every entity write passes here.
 * A null age column is never old, as in the retention run's own DELETE.
 */
public final class RetentionGuard {
    private RetentionGuard() {}

    /**
     * Where a table's coverage may be judged from (for reconciliation): coverage_start, or the
     * retention cut-off when that is later. Retention raises coverage_start to its cut-off, but a
     * later first load of the table (say, events enabled after their rule) starts its coverage
     * where it read from, and what lay below the cut-off was kept out.
     *
     * @return null when the table has no coverage yet
     */
    public static Instant judgeableFrom(SyncState.Entry state) {
        if (state.coverageStart() == null || state.retentionCutoff() == null) {
            return state.coverageStart();
        }
        return state.coverageStart().isBefore(state.retentionCutoff())
                ? state.retentionCutoff()
                : state.coverageStart();
    }

    /**
     * @param state the table's sync state (its {@code retention_cutoff})
     * @return the rows not older than the cut-off by the table's age column ({@code rows} itself when there is no cut-off)
     */
    public static Dataset<Row> keep(RetentionSettings settings, SyncState.Entry state, Dataset<Row> rows) {
        if (state.retentionCutoff() == null) {
            return rows;
        }
        String column = settings.column(state.table());
        return rows.where(col(column)
                .isNull()
                .or(col(column)
                        .geq(timestamp_seconds(lit(state.retentionCutoff().getEpochSecond())))));
    }
}
