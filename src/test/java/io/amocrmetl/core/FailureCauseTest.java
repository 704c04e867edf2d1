package io.amocrmetl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The product's exit code found inside the wrappers a Spark task failure arrives in. */
class FailureCauseTest {
    @Test
    void theCauseDecidesWhenSparkSentItBack() {
        EtlException blocked = new EtlException(ExitCode.BLOCKED, "amoCRM blocked this caller");
        RuntimeException spark =
                new RuntimeException("Job aborted due to stage failure", new IllegalStateException("task", blocked));
        assertSame(blocked, FailureCause.of(spark).orElseThrow());
    }

    @Test
    void aSpecificCodeWinsOverAnUnexpectedWrapperOfOurs() {
        EtlException auth = new EtlException(ExitCode.AUTH, "re-connect");
        EtlException wrapper = new EtlException(ExitCode.UNEXPECTED, "leads failed", auth);
        assertSame(auth, FailureCause.of(wrapper).orElseThrow());
        EtlException alone = new EtlException(ExitCode.UNEXPECTED, "odd");
        assertSame(
                alone, FailureCause.of(new RuntimeException("wrapped", alone)).orElseThrow());
    }

    @Test
    void onlyTheTextArrivedFromAnExecutor() {
        String remote = new EtlException(ExitCode.BAD_CONFIG, "amocrm.base-url: not a URL").toString();
        RuntimeException spark = new RuntimeException(
                "Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times, most recent failure: "
                        + "Lost task 0.3 in stage 3.0 (TID 9) (10.0.0.7 executor 1): " + remote
                        + "\n\tat io.amocrmetl.source.PageReader.next(PageReader.java:81)\n");
        EtlException found = FailureCause.of(spark).orElseThrow();
        assertEquals(ExitCode.BAD_CONFIG, found.exitCode());
        assertEquals("amocrm.base-url: not a URL", found.getMessage());
    }

    /** Text claiming exit 0 or a huge code is not a failure's code: never exit 0 on a failure. */
    @Test
    void textWithExitZeroOrAHugeCodeIsIgnored() {
        assertTrue(FailureCause.of(new RuntimeException("io.amocrmetl.X (exit 0): fine"))
                .isEmpty());
        assertTrue(FailureCause.of(new RuntimeException("io.amocrmetl.X (exit 99999999999): odd"))
                .isEmpty());
    }

    @Test
    void nothingOfOursIsEmpty() {
        assertTrue(FailureCause.of(new RuntimeException("disk full", new IOException("x")))
                .isEmpty());
        assertEquals(ExitCode.UNEXPECTED, ExitCode.of(42));
        assertEquals(ExitCode.BUSY, ExitCode.of(7));
    }
}
