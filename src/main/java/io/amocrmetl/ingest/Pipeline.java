package io.amocrmetl.ingest;

import io.amocrmetl.state.Journal;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Overlaps a run's Delta writes with its requests (issue "Ingest, part 2": writes overlap
 * fetching). One fetcher reads windows one after another, so a single scan at a time spends the
 * account's rate budget (on a cluster two concurrent scans would each split the whole budget);
 * two writers commit what was read, one table's windows strictly in order (their watermarks
 * advance in order, and two MERGEs on one table would conflict). The fetcher stays at most
 * {@value #LOOKAHEAD} windows ahead of the writers, and checks the {@link Budget} before each
 * window: a window not started is skipped, and the run ends partial.
 */
final class Pipeline implements AutoCloseable {
    /**
     * Windows fetched ahead of the writers. A window's MERGE takes longer than fetching it at the
     * rate budget, so a short look-ahead stalls the fetcher while a slow commit finishes. Measured
     * with jobs/bench/ingest --leads 20000 on 2 cores: 2 windows 210 s wall and 37.5% not fetching,
     * 5 windows 183 s and 28.6%; without a rate limit 131 s against 110 s.
     */
    static final int LOOKAHEAD = 5;
    private final PrintStream out;
    private final Budget budget;
    private final ExecutorService fetcher = Executors.newSingleThreadExecutor(named("ingest-fetch"));
    private final ExecutorService writers = Executors.newFixedThreadPool(2, named("ingest-write"));
    private final Semaphore ahead = new Semaphore(LOOKAHEAD);
    private final List<Future<?>> fetches = new ArrayList<>();
    private final List<CompletableFuture<Journal.Entry>> writes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> tables = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, CompletableFuture<?>> lastWrite = new ConcurrentHashMap<>();
    private volatile boolean failed;
    /** Tables with a window the budget did not allow. */
    final java.util.Set<String> skipped = ConcurrentHashMap.newKeySet();
    final List<Journal.Entry> done = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The table a failure belongs to, for the journal. */
    volatile String current;

    Pipeline(PrintStream out, Budget budget) {
        this.out = out;
        this.budget = budget;
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
        fetches.add(fetcher.submit(() -> {
            if (start(table)) {
                submitWrite(table, fetchOrRelease(fetch::get), write);
            }
            return null;
        }));
    }

    /**
     * A table read window by window: each window is fetched in turn (sized by what the last one
     * held), then written after the table's previous window.
     */
    void loadWindows(String table, WindowSource windows, Function<IngestWindow, Fetched> fetch,
                     Function<Fetched, Journal.Entry> write) {
        fetches.add(fetcher.submit(() -> {
            while (windows.hasNext() && start(table)) {
                IngestWindow w = windows.next();
                Fetched f = fetchOrRelease(() -> fetch.apply(w));
                windows.observe(f.entry().rowsRead);
                submitWrite(table, f, write);
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

    private void submitWrite(String table, Fetched f, Function<Fetched, Journal.Entry> write) {
        CompletableFuture<?> previous = lastWrite.getOrDefault(table, CompletableFuture.completedFuture(null));
        register(table, previous.thenApplyAsync(x -> {
            try {
                return write.apply(f);
            } finally {
                ahead.release();
            }
        }, writers));
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
            } catch (java.util.concurrent.ExecutionException e) {
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
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
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
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
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
