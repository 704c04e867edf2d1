package io.amocrmetl.source;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.api.AmoApiException;
import io.amocrmetl.api.BlockState;
import io.amocrmetl.core.ExitCode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A retried read task sends nothing while a 429 pause or a block is recorded (docs/api-client.md). */
class RetriedAttemptTest {
    @TempDir
    Path dir;

    @Test
    void aFirstAttemptGoesOnAndWaitsAsAnyClient() {
        BlockState recorded = new BlockState(dir.resolve("state"), dir.resolve("host"));
        recorded.coolDown(Instant.now().plus(Duration.ofMinutes(5)));
        assertDoesNotThrow(() -> RetriedAttempt.check(0, recorded, Instant.now()));
    }

    @Test
    void aRetryWithNothingRecordedGoesOn() {
        BlockState recorded = new BlockState(dir.resolve("state"), dir.resolve("host"));
        assertDoesNotThrow(() -> RetriedAttempt.check(1, recorded, Instant.now()));
        recorded.coolDown(Instant.now().minusSeconds(1)); // a pause that is over
        assertDoesNotThrow(() -> RetriedAttempt.check(3, recorded, Instant.now()));
    }

    @Test
    void aRetryDuringAPauseFailsAtOnceWithExit4NamingWhenToRunAgain() {
        BlockState recorded = new BlockState(dir.resolve("state"), dir.resolve("host"));
        Instant until = Instant.now().plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
        // Recorded by another process of the host: only the host folder holds it.
        new BlockState(dir.resolve("other"), dir.resolve("host")).coolDown(until);
        AmoApiException e = assertThrows(AmoApiException.class, () -> RetriedAttempt.check(1, recorded, Instant.now()));
        assertEquals(ExitCode.BLOCKED, e.exitCode());
        assertEquals(429, e.status());
        assertTrue(e.getMessage().contains(until.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("attempt 2 of a read task sends nothing"), e.getMessage());
    }

    @Test
    void aRetryDuringABlockFailsAtOnceNamingTheBlock() {
        BlockState recorded = new BlockState(dir.resolve("state"), dir.resolve("host"));
        Instant until = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        recorded.coolDown(Instant.now().plus(Duration.ofMinutes(5)));
        recorded.block(until);
        AmoApiException e = assertThrows(AmoApiException.class, () -> RetriedAttempt.check(2, recorded, Instant.now()));
        assertEquals(ExitCode.BLOCKED, e.exitCode());
        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains(until + " (a block"), e.getMessage());
    }
}
