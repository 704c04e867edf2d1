package io.amocrmetl.source;

import io.amocrmetl.api.AmoApiException;
import io.amocrmetl.api.BlockState;
import io.amocrmetl.core.ExitCode;
import java.time.Instant;

/**
 * Spark tries a failed read task again (spark.task.maxFailures, 4 on a cluster). A first attempt
 * that met a 429 pause it could not wait out fails with exit 4; a retry must not then send the
 * same requests once the pause ends, so a retried attempt sends nothing while a pause or block is
 * recorded and fails at once with the same exit code (docs/api-client.md, "Blocks and 429s on a
 * cluster"). A first attempt waits out a pause within its budget as any client does.
 */
final class RetriedAttempt {
    private RetriedAttempt() {}

    /**
     * @param attempt Spark's attempt number of this task, 0 for the first
     * @throws AmoApiException exit 4 naming the record and when to run again
     */
    static void check(int attempt, BlockState recorded, Instant now) {
        if (attempt == 0) {
            return;
        }
        Instant blocked = recorded.blockedUntil(now);
        Instant paused = recorded.coolDownUntil(now);
        if (blocked == null && paused == null) {
            return;
        }
        boolean block = blocked != null && (paused == null || !paused.isAfter(blocked));
        Instant until = block ? blocked : paused;
        throw new AmoApiException(
                ExitCode.BLOCKED,
                "attempt " + (attempt + 1) + " of a read task sends nothing: amoCRM asked for no request before "
                        + until + " ("
                        + (block
                                ? "a block, recorded in " + recorded.file()
                                : "a 429, recorded in " + recorded.coolDownFile())
                        + "); run again after then",
                block ? 403 : 429);
    }
}
