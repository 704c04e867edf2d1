package io.amocrmetl.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Adding up one table's parts: a run's tally of windows, and one write of several fetched windows. */
class JournalEntryTest {

    private static Journal.Entry part(long from, long to, long rows, long requests, String pids) {
        Journal.Entry e = new Journal.Entry("leads");
        e.windowFrom = Instant.ofEpochSecond(from);
        e.windowTo = Instant.ofEpochSecond(to);
        e.rowsRead = rows;
        e.rowsUpserted = rows - 1;
        e.rowsDeleted = 1;
        e.requests = requests;
        e.retries = 2;
        e.tooManyRequests = 1;
        e.limiterWaitMs = 100;
        e.seconds = 1.5;
        e.schemaChanges = 3;
        e.executorPids = pids;
        return e;
    }

    @Test
    void addSumsCountsWidensTheWindowAndMergesPids() {
        Journal.Entry sum = part(100, 200, 10, 4, "7,3").add(part(50, 150, 5, 2, "3,9"));
        assertEquals(Instant.ofEpochSecond(50), sum.windowFrom);
        assertEquals(Instant.ofEpochSecond(200), sum.windowTo);
        assertEquals(15, sum.rowsRead);
        assertEquals(13, sum.rowsUpserted);
        assertEquals(2, sum.rowsDeleted);
        assertEquals(6, sum.requests);
        assertEquals(4, sum.retries);
        assertEquals(2, sum.tooManyRequests);
        assertEquals(200, sum.limiterWaitMs);
        assertEquals(3.0, sum.seconds, 1e-9);
        assertEquals(6, sum.schemaChanges);
        assertEquals("3,7,9", sum.executorPids);
    }

    @Test
    void addingToACopyLeavesTheOriginalAsItWas() {
        // RunContext keeps a copy of a table's first window as its tally: the window's own entry
        // is still reported on its own, so adding later windows must not change it.
        Journal.Entry first = part(100, 200, 10, 4, null);
        Journal.Entry tally = first.copy().add(part(200, 300, 5, 2, "4"));
        assertEquals(10, first.rowsRead);
        assertEquals(Instant.ofEpochSecond(200), first.windowTo);
        assertEquals(null, first.executorPids);
        assertEquals(15, tally.rowsRead);
        assertEquals("4", tally.executorPids);
    }

    @Test
    void anEntryWithoutWindowOrPidsAddsOnlyItsCounts() {
        Journal.Entry sum = part(100, 200, 10, 4, "1").add(new Journal.Entry("leads"));
        assertEquals(Instant.ofEpochSecond(100), sum.windowFrom);
        assertEquals(Instant.ofEpochSecond(200), sum.windowTo);
        assertEquals(10, sum.rowsRead);
        assertEquals("1", sum.executorPids);
    }
}
