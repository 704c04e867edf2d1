package io.amocrmetl.sandbox.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestLogTest {
    private static final long MS = 1_000_000;

    private static List<RequestRecord> at(long... millis) {
        List<RequestRecord> out = new ArrayList<>();
        for (int i = 0; i < millis.length; i++) {
            out.add(new RequestRecord(i, millis[i] * MS, millis[i], "GET", "/api/v4/leads", 200, 0, 0));
        }
        return out;
    }

    @Test
    void busiestWindowSlidesInsteadOfUsingCalendarSeconds() {
        // 4 in [900, 1100) straddle a calendar second boundary but sit inside one sliding second.
        assertEquals(4, RequestLog.busiestWindow(at(0, 900, 950, 1000, 1100, 2500), 1000 * MS));
        assertEquals(1, RequestLog.busiestWindow(at(0, 1000, 2000), 1000 * MS));
        assertEquals(0, RequestLog.busiestWindow(at(), 1000 * MS));
        assertEquals(7, RequestLog.busiestWindow(at(0, 1, 2, 3, 4, 5, 999, 1000), 1000 * MS));
    }
}
