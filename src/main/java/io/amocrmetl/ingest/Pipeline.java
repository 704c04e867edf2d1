package io.amocrmetl.ingest;

import io.amocrmetl.state.Journal;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Overlaps a run's Delta writes with its requests (issue "Ingest, part 2": writes overlap
 * fetching): one fetcher reads tables one after another, so a single scan at a time spends the
 * account's rate budget (on a cluster two concurrent scans would each split the whole budget),
 * while two writers commit the tables already read. The first failure stops what has not started.
 */
final class Pipeline implements AutoCloseable {
    private final PrintStream out;
    private final ExecutorService fetcher = Executors.newSingleThreadExecutor(named("ingest-fetch"));
    private final ExecutorService writers = Executors.newFixedThreadPool(2, named("ingest-write"));
    private final List<Future<Journal.Entry>> writes = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();
    private final java.util.Map<String, Future<Fetched>> fetches = new java.util.concurrent.ConcurrentHashMap<>();
    final List<Journal.Entry> done = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The table a failure belongs to, for the journal. */
    volatile String current;

    Pipeline(PrintStream out) {
        this.out = out;
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Fetches the table in turn, then writes it on a writer. */
    void load(String table, Supplier<Fetched> fetch, Function<Fetched, Journal.Entry> write) {
        Future<Fetched> fetched = fetcher.submit(() -> {
            current = table;
            return fetch.get();
        });
        fetches.put(table, fetched);
        write(table, () -> write.apply(get(fetched)));
    }

    /** A table's fetch, once it is done (for a second consumer of a shared read). */
    Fetched fetched(String table) {
        return get(fetches.get(table));
    }

    /** Writes something already fetched. */
    void write(String table, Supplier<Journal.Entry> write) {
        tables.add(table);
        writes.add(writers.submit(() -> {
            Journal.Entry e = write.get();
            if (e != null) {
                done.add(IngestJob.report(out, e));
            }
            return e;
        }));
    }

    /** Waits for every write; the first failure cancels what has not started and is rethrown. */
    void await() {
        for (int i = 0; i < writes.size(); i++) {
            try {
                writes.get(i).get();
            } catch (ExecutionException e) {
                current = tables.get(i);
                for (Future<?> f : writes) {
                    f.cancel(false);
                }
                Throwable cause = e.getCause() instanceof Wrapped w ? w.getCause() : e.getCause();
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new Wrapped(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A fetch's failure carried through its write. */
    private static final class Wrapped extends RuntimeException {
        Wrapped(Throwable cause) {
            super(cause);
        }
    }

    @Override
    public void close() {
        fetcher.shutdownNow();
        writers.shutdown();
    }
}
