package io.amocrmetl.lake;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import org.apache.spark.SparkThrowable;

/**
 * A commit Delta refused because another writer changed the same part of a table after this one
 * read it (optimistic concurrency: docs/lakehouse.md, "Overlapping runs"). What the other writer
 * committed stays, and this run's earlier commits are whole, so the next run converges.
 */
public final class WriteConflicts {
    private WriteConflicts() {}

    /** Whether a failure is Delta's concurrent-modification refusal. */
    public static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkThrowable s
                    && s.getCondition() != null
                    && s.getCondition().startsWith("DELTA_CONCURRENT")) {
                return true;
            }
        }
        return false;
    }

    /** The failure as a user reads it: which table, why, and that running again is safe. */
    public static EtlException explain(String job, String table, long account, RuntimeException e) {
        return new EtlException(
                ExitCode.UNEXPECTED,
                job + ": another writer changed " + table + " of account " + account
                        + " while this run was writing it, so Delta refused this run's commit. Nothing committed is"
                        + " lost or doubled; run " + job + " again once the other run is done"
                        + " (docs/lakehouse.md, \"Overlapping runs\")",
                e);
    }
}
