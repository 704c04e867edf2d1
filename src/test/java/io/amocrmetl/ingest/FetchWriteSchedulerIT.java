package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.state.Journal;
import io.amocrmetl.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The ingest pipeline's hand-over from the fetcher to the writers: windows that wait for a
 * writer are written together (up to a commit's worth of rows), in order, each once; a failed
 * write stops the rest. Real (tiny) Spark datasets, no lake: what is checked is which windows each
 * write received.
 */
class FetchWriteSchedulerIT {
    private static final long HOUR = 3600;
    private final SparkSession spark = SparkTestSession.get();
    private final PrintStream out = new PrintStream(new ByteArrayOutputStream());

    /** Four one-hour windows of 10 rows each (the window source keeps their size: 10 is its target). */
    private static WindowSource fourHours() {
        return new WindowSource(0, 4 * HOUR - 1, HOUR, 10, false, false);
    }

    private Fetched fetched(IngestWindow w, CountDownLatch fetchedAll) {
        Journal.Entry e = new Journal.Entry("leads");
        e.rowsRead = 10;
        e.requests = 1;
        Fetched f = new Fetched("leads", spark.range(w.from(), w.from() + 10).toDF(), e, w, System.nanoTime());
        if (w.to() == 4 * HOUR - 1) {
            fetchedAll.countDown();
        }
        return f;
    }

    @Test
    void windowsWaitingForTheWriterAreWrittenTogetherInOrderEachOnce() {
        CountDownLatch fetchedAll = new CountDownLatch(1);
        List<Fetched> writes = java.util.Collections.synchronizedList(new ArrayList<>());
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (FetchWriteScheduler p = new FetchWriteScheduler(out, Budget.unlimited(), 1000)) {
                p.loadWindows("leads", fourHours(), w -> fetched(w, fetchedAll), f -> {
                    if (writes.isEmpty()) {
                        // The first write is slow: every other window is fetched while it runs.
                        await(fetchedAll);
                    }
                    writes.add(f);
                    Journal.Entry e = f.entry();
                    e.rowsUpserted = f.rows().count();
                    return e;
                });
                p.await();
                assertEquals(
                        4,
                        p.done.stream().mapToLong(e -> e.requests).sum(),
                        "requests add up over the coalesced writes");
            }
        });
        // Without coalescing there would be one write per window.
        assertTrue(writes.size() <= 2, "writes: " + writes.size());
        assertEquals(4, writes.stream().mapToInt(Fetched::windows).sum());
        long next = 0;
        for (Fetched f : writes) {
            assertEquals(next, f.window().from(), "windows are written in order, each once");
            assertEquals(10L * f.windows(), f.entry().rowsRead);
            assertEquals(10L * f.windows(), f.rows().count(), "a coalesced write holds every window's rows");
            next = f.window().to() + 1;
        }
        assertEquals(4 * HOUR, next);
        assertTrue(writes.get(writes.size() - 1).windows() >= 2, "the windows that waited were written in one");
    }

    @Test
    void aWriteTakesNoMoreThanACommitsWorthOfRows() {
        CountDownLatch fetchedAll = new CountDownLatch(1);
        List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (FetchWriteScheduler p = new FetchWriteScheduler(out, Budget.unlimited(), 15)) {
                p.loadWindows("leads", fourHours(), w -> fetched(w, fetchedAll), f -> {
                    if (sizes.isEmpty()) {
                        await(fetchedAll);
                    }
                    sizes.add(f.windows());
                    return f.entry();
                });
                p.await();
            }
        });
        assertEquals(List.of(1, 1, 1, 1), sizes, "two windows of 10 rows are more than 15");
    }

    @Test
    void smallWindowsWaitForACommitsWorthAndTheRestIsWrittenWhenFetchingEnds() {
        List<Fetched> writes = java.util.Collections.synchronizedList(new ArrayList<>());
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (FetchWriteScheduler p = new FetchWriteScheduler(out, Budget.unlimited(), 25)) {
                p.loadWindows("leads", fourHours(), w -> fetched(w, new CountDownLatch(1)), f -> {
                    writes.add(f);
                    return f.entry();
                });
                p.await();
            }
        });
        // 10 + 10 rows wait for the third window; 30 would be more than 25, so the first two are
        // written together, and the last two when the fetching ends.
        assertEquals(List.of(2, 2), writes.stream().map(Fetched::windows).toList());
        assertEquals(0, writes.get(0).window().from());
        assertEquals(2 * HOUR, writes.get(1).window().from());
    }

    @Test
    void windowsWaitingWhenTheBudgetStopsTheFetchingAreWritten() {
        List<Fetched> writes = java.util.Collections.synchronizedList(new ArrayList<>());
        FetchWriteScheduler stopped;
        try (FetchWriteScheduler p = new FetchWriteScheduler(out, new Budget(2L, null), 1000)) {
            p.loadWindows("leads", fourHours(), w -> fetched(w, new CountDownLatch(1)), f -> {
                writes.add(f);
                return f.entry();
            });
            assertTimeoutPreemptively(Duration.ofSeconds(120), p::await);
            stopped = p;
        }
        assertEquals(List.of(2), writes.stream().map(Fetched::windows).toList(), "the two windows read are committed");
        assertEquals(java.util.Set.of("leads"), stopped.skipped);
    }

    @Test
    void aFailedWriteStopsTheWindowsAfterIt() {
        CountDownLatch fetchedAll = new CountDownLatch(1);
        AtomicInteger written = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (FetchWriteScheduler p = new FetchWriteScheduler(out, Budget.unlimited(), 10)) {
                p.loadWindows("leads", fourHours(), w -> fetched(w, fetchedAll), f -> {
                    await(fetchedAll);
                    if (f.window().from() == HOUR) {
                        throw new IllegalStateException("MERGE failed");
                    }
                    written.incrementAndGet();
                    return f.entry();
                });
                IllegalStateException e = assertThrows(IllegalStateException.class, p::await);
                assertEquals("MERGE failed", e.getMessage());
            }
        });
        assertEquals(1, written.get(), "only the window before the failed one was written");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS), "the fetcher did not fetch every window");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
