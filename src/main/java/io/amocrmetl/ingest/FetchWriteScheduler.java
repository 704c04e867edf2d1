package io.amocrmetl.ingest;

import io.amocrmetl.state.Journal;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Overlaps a run's Delta writes with its requests, so neither waits for the other. One fetcher
 * spends the account's whole rate budget, one window at a time; two writers commit, one table's
 * windows strictly in order (watermarks advance in order; two MERGEs on one table would conflict).
 * The {@link Budget} is checked before each window. Waiting windows of a table are coalesced up to
 * {@code ingest.window-rows}, since a commit's cost is mostly fixed (docs/historical-loads.md).
 */
final class FetchWriteScheduler implements AutoCloseable {
    /**
     * Windows fetched ahead of the writers. A window's MERGE takes longer than fetching it at the
     * rate budget, so a short look-ahead stalls the fetcher while a slow commit finishes. The value
     * comes from the ingest benchmark (docs/benchmarks.md).
     */
    static final int LOOKAHEAD = 5;

    private final PrintStream out;
    private final Budget budget;
    private final long coalesceRows;
    private final ExecutorService fetcher = Executors.newSingleThreadExecutor(named("ingest-fetch"));
    private final ExecutorService writers = Executors.newFixedThreadPool(2, named("ingest-write"));
    private final Semaphore ahead = new Semaphore(LOOKAHEAD);
    private final List<Future<?>> fetches = new ArrayList<>();
    private final List<CompletableFuture<Journal.Entry>> writes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> tables = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, CompletableFuture<?>> lastWrite = new ConcurrentHashMap<>();
    private volatile boolean failed;
    /** Tables with a window the budget did not allow. */
    final Set<String> skipped = ConcurrentHashMap.newKeySet();

    final List<Journal.Entry> done = Collections.synchronizedList(new ArrayList<>());
    /** The table a failure belongs to, for the journal. */
    volatile String current;

    /**
     * @param coalesceRows the most rows of windows waiting that one write takes together (a
     *                     window holding more is written alone)
     */
    FetchWriteScheduler(PrintStream out, Budget budget, long coalesceRows) {
        this.out = out;
        this.budget = budget;
        this.coalesceRows = coalesceRows;
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** A table read whole (one fetch), written after the table's earlier writes. */
    void load(String table, Supplier<Fetched> fetch, Function<Fetched, Journal.Entry> write) {
        Deque<Fetched> waiting = new ArrayDeque<>();
        fetches.add(fetcher.submit(() -> {
            if (start(table)) {
                queue(waiting, fetchOrRelease(fetch::get));
                submitWrite(table, waiting, write, false);
            }
            return null;
        }));
    }

    /**
     * A table read window by window: each window is fetched in turn (sized by what the last one
     * held) and queued for the table's writes. A write takes the windows waiting, up to a commit's
     * worth of rows; fewer than that wait for the next window while the fetcher has slots left,
     * and whatever waits when the fetching ends (done, stopped by the budget, or failed) is
     * written then.
     */
    void loadWindows(
            String table,
            WindowSource windows,
            Function<IngestWindow, Fetched> fetch,
            Function<Fetched, Journal.Entry> write) {
        Deque<Fetched> waiting = new ArrayDeque<>();
        fetches.add(fetcher.submit(() -> {
            try {
                while (windows.hasNext() && start(table)) {
                    IngestWindow w = windows.next();
                    Fetched f = fetchOrRelease(() -> fetch.apply(w));
                    windows.observe(f.entry().rowsRead);
                    queue(waiting, f);
                    submitWrite(table, waiting, write, true);
                }
            } finally {
                if (!writers.isShutdown()) { // closed after a failure: nothing more is written
                    submitWrite(table, waiting, write, false);
                }
            }
            return null;
        }));
    }

    /** Writes something already in hand, after the table's earlier writes. */
    void write(String table, Supplier<Journal.Entry> write) {
        CompletableFuture<?> previous = lastWrite.getOrDefault(table, CompletableFuture.completedFuture(null));
        register(table, previous.thenApplyAsync(x -> write.get(), writers));
    }

    /** Takes a look-ahead slot; false when the budget (or a failure) says no more windows. */
    private boolean start(String table) throws InterruptedException {
        ahead.acquire();
        if (failed || !budget.allowsMore()) {
            ahead.release();
            skipped.add(table);
            return false;
        }
        current = table;
        return true;
    }

    private Fetched fetchOrRelease(Supplier<Fetched> fetch) {
        try {
            Fetched f = fetch.get();
            budget.spent(f.entry().requests);
            return f;
        } catch (RuntimeException e) {
            ahead.release();
            failed = true;
            throw e;
        }
    }

    private static void queue(Deque<Fetched> waiting, Fetched f) {
        synchronized (waiting) {
            waiting.addLast(f);
        }
    }

    /**
     * A write after the table's earlier ones, of what waits when it runs ({@link #take}); it does
     * nothing when nothing waits (an earlier write took it). Each window's look-ahead slot is given
     * back when its write ends, or when the write is skipped after a failure.
     *
     * @param mayWait whether fewer than a commit's worth of rows may wait for the next window:
     *                only while the fetcher has a slot left, so it never waits on slots held by
     *                windows that wait for it (whoever frees the last slot finds none left)
     */
    private void submitWrite(
            String table, Deque<Fetched> waiting, Function<Fetched, Journal.Entry> write, boolean mayWait) {
        CompletableFuture<?> previous = lastWrite.getOrDefault(table, CompletableFuture.completedFuture(null));
        register(
                table,
                previous.handleAsync(
                        (x, failure) -> {
                            List<Fetched> group = failure != null
                                    ? take(waiting, Long.MAX_VALUE, false)
                                    : take(waiting, coalesceRows, mayWait && ahead.availablePermits() > 0);
                            try {
                                if (failure != null) {
                                    throw failure instanceof CompletionException c
                                            ? c
                                            : new CompletionException(failure);
                                }
                                return group.isEmpty() ? null : write.apply(Fetched.coalesce(group));
                            } finally {
                                ahead.release(group.size());
                            }
                        },
                        writers));
    }

    /**
     * The windows one write takes: the oldest, then the next ones while their rows stay within
     * {@code maxRows}. With {@code holdSmall}, windows that all together hold fewer than
     * {@code maxRows} rows stay waiting (none is taken): a commit costs seconds however few rows
     * it holds (Delta's log, a snapshot, the files), so small windows are better written with the
     * next ones. A killed run re-reads what waited; it is never more than a commit's worth.
     */
    static List<Fetched> take(Deque<Fetched> waiting, long maxRows, boolean holdSmall) {
        List<Fetched> group = new ArrayList<>();
        synchronized (waiting) {
            long rows = 0;
            while (!waiting.isEmpty()) {
                long next = waiting.peekFirst().entry().rowsRead;
                if (!group.isEmpty() && rows + next > maxRows) {
                    return group;
                }
                rows += next;
                group.add(waiting.pollFirst());
            }
            if (holdSmall && rows < maxRows) {
                for (int i = group.size() - 1; i >= 0; i--) {
                    waiting.addFirst(group.get(i));
                }
                group.clear();
            }
        }
        return group;
    }

    private void register(String table, CompletableFuture<Journal.Entry> work) {
        CompletableFuture<Journal.Entry> reported = work.whenComplete((e, t) -> {
            if (t != null) {
                failed = true;
            } else if (e != null) {
                done.add(IngestJob.report(out, e));
            }
        });
        lastWrite.put(table, reported);
        tables.add(table);
        writes.add(reported);
    }

    /** Waits for every fetch and write; the first failure is rethrown (what had not started is skipped). */
    void await() {
        for (Future<?> f : fetches) {
            try {
                f.get();
            } catch (ExecutionException e) {
                fail();
                throw unwrap(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        List<CompletableFuture<Journal.Entry>> all;
        synchronized (writes) {
            all = new ArrayList<>(writes);
        }
        for (int i = 0; i < all.size(); i++) {
            try {
                all.get(i).join();
            } catch (CompletionException | CancellationException e) {
                current = tables.get(i);
                fail();
                throw unwrap(e);
            }
        }
    }

    private void fail() {
        failed = true;
        budget.stop("a failure");
    }

    private static RuntimeException unwrap(Exception e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    @Override
    public void close() {
        fetcher.shutdownNow();
        writers.shutdown();
    }
}
