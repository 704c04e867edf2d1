package io.amocrmetl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each way a 429 can say when to come back, and the one that says nothing. */
class RetryAfterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATE = "Sun, 06 Dec 2026 22:00:00 GMT";

    @Test
    void theJsonRetryAfterComesFirst() throws Exception {
        RetryAfter r = RetryAfter.of(JSON.readTree("{\"status\":429,\"retry_after\":300}"), "5", DATE);
        assertEquals(Duration.ofSeconds(300), r.delay());
        assertEquals("retry_after 300 s", r.said());
    }

    @Test
    void theHeaderInSecondsOrAsADateReadAgainstTheAnswersDate() {
        assertEquals(Duration.ofSeconds(7), RetryAfter.of(null, "7", DATE).delay());
        assertEquals(
                Duration.ofSeconds(90),
                RetryAfter.of(null, "Sun, 06 Dec 2026 22:01:30 GMT", DATE).delay(),
                "a date is a wait from the answer's own Date, whatever this machine's clock says");
        assertEquals(
                Duration.ofSeconds(1),
                RetryAfter.of(null, "Sun, 06 Dec 2026 21:59:00 GMT", DATE).delay(),
                "never 0");
        assertEquals(Duration.ofSeconds(1), RetryAfter.of(null, "0", DATE).delay());
    }

    @Test
    void nothingOrNonsenseWaitsAmoCrmsDocumentedTime() throws Exception {
        for (RetryAfter r : new RetryAfter[] {
            RetryAfter.of(null, null, DATE),
            RetryAfter.of(JSON.readTree("{\"retry_after\":\"soon\"}"), " ", null),
            RetryAfter.of(null, "later, please", DATE),
            RetryAfter.of(null, "99999999999999", DATE)
        }) {
            assertEquals(Duration.ofSeconds(300), r.delay(), r.said());
            assertTrue(r.said().contains("documented 300 s"), r.said());
        }
    }
}
