package io.amocrmetl.state;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * {@code _journal}, the event log (docs/lakehouse.md): one row per run and table, appended
 * (appends never conflict in Delta, whatever else runs).
 */
public final class Journal {
    /** One row: what a job did to one table in one run. Null instants and counts are allowed. */
    public static final class Entry {
        public final String table;
        public Instant windowFrom;
        public Instant windowTo;
        public String status = "ok";
        public long rowsRead;
        public long rowsUpserted;
        public long rowsDeleted;
        public long requests;
        public long retries;
        public long tooManyRequests;
        public long limiterWaitMs;
        public double seconds;
        public Long watermarkLagSeconds;
        public long schemaChanges;
        public String error;
        public Instant startedAt = Instant.now();
        public Instant finishedAt;
        public String executorPids;
        public String details;

        public Entry(String table) {
            this.table = table;
        }

        /** A copy, to add other figures to without changing this one. */
        public Entry copy() {
            Entry c = new Entry(table);
            c.windowFrom = windowFrom;
            c.windowTo = windowTo;
            c.status = status;
            c.rowsRead = rowsRead;
            c.rowsUpserted = rowsUpserted;
            c.rowsDeleted = rowsDeleted;
            c.requests = requests;
            c.retries = retries;
            c.tooManyRequests = tooManyRequests;
            c.limiterWaitMs = limiterWaitMs;
            c.seconds = seconds;
            c.watermarkLagSeconds = watermarkLagSeconds;
            c.schemaChanges = schemaChanges;
            c.error = error;
            c.startedAt = startedAt;
            c.finishedAt = finishedAt;
            c.executorPids = executorPids;
            c.details = details;
            return c;
        }

        /**
         * Adds another part of the same table's work to this entry: its counts and seconds are
         * summed, the window widens to cover both, and the executor pids are merged. Status, error,
         * times and details are the caller's to decide (a run's tally keeps the latest; a write of
         * several fetched windows has its own).
         */
        public Entry add(Entry o) {
            if (o.windowFrom != null && (windowFrom == null || o.windowFrom.isBefore(windowFrom))) {
                windowFrom = o.windowFrom;
            }
            if (o.windowTo != null && (windowTo == null || o.windowTo.isAfter(windowTo))) {
                windowTo = o.windowTo;
            }
            rowsRead += o.rowsRead;
            rowsUpserted += o.rowsUpserted;
            rowsDeleted += o.rowsDeleted;
            requests += o.requests;
            retries += o.retries;
            tooManyRequests += o.tooManyRequests;
            limiterWaitMs += o.limiterWaitMs;
            seconds += o.seconds;
            schemaChanges += o.schemaChanges;
            if (o.executorPids != null) {
                Set<String> pids = new TreeSet<>(List.of(o.executorPids.split(",")));
                if (executorPids != null) {
                    pids.addAll(List.of(executorPids.split(",")));
                }
                executorPids = String.join(",", pids);
            }
            return this;
        }
    }

    private final Lake lake;
    private final long accountId;
    private final String runId;
    private final String job;
    private final String sourceName;
    private final List<Entry> pending = new ArrayList<>();
    private int flushed;

    public Journal(Lake lake, long accountId, String runId, String job, String sourceName) {
        this.lake = lake;
        this.accountId = accountId;
        this.runId = runId;
        this.job = job;
        this.sourceName = sourceName;
    }

    /** Adds the entry to the run's rows; {@link #flush} appends them (at the end of the run, or when it fails). */
    public synchronized void write(Entry e) {
        if (e.finishedAt == null) {
            e.finishedAt = Instant.now();
        }
        pending.add(e);
    }

    /** Appends the rows not yet written, in one commit. */
    public synchronized void flush() {
        List<Row> rows = new ArrayList<>();
        for (Entry e : pending.subList(flushed, pending.size())) {
            rows.add(RowFactory.create(
                    accountId,
                    runId,
                    job,
                    sourceName,
                    e.table,
                    ts(e.windowFrom),
                    ts(e.windowTo),
                    e.status,
                    e.rowsRead,
                    e.rowsUpserted,
                    e.rowsDeleted,
                    e.requests,
                    e.retries,
                    e.tooManyRequests,
                    e.limiterWaitMs,
                    e.seconds,
                    e.watermarkLagSeconds,
                    e.schemaChanges,
                    e.error,
                    ts(e.startedAt),
                    ts(e.finishedAt),
                    e.executorPids,
                    e.details));
        }
        if (rows.isEmpty()) {
            return;
        }
        lake.spark()
                .createDataFrame(rows, Tables.get(Tables.JOURNAL).schema())
                .write()
                .format("delta")
                .mode("append")
                .save(lake.path(Tables.JOURNAL));
        flushed = pending.size();
    }

    public List<Entry> written() {
        return List.copyOf(pending);
    }

    public String runId() {
        return runId;
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
