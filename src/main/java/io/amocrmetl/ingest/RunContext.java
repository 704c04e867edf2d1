package io.amocrmetl.ingest;

import io.amocrmetl.api.AmoClient;
import io.amocrmetl.catalog.DerivedColumn;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.source.HandedTokenRejected;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.state.Journal;
import io.amocrmetl.state.SyncState;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What one run of a job shares: the session, the lake, the config, the driver's client, the
 * account, the server's clock at the run's first response, the run id, the account's sync state
 * and journal, and the options every read of this run carries.
 */
public final class RunContext {
    final SparkSession spark;
    final Lake lake;
    final EtlConfig config;
    final AmoClient client;
    final long accountId;
    final Instant serverNow;
    final String runId;
    /** {@code _synced_at} of every row this run writes: the server's clock when the run began. */
    final long syncedAtMicros;

    final SyncState state;
    final Journal journal;
    final PrintStream out;
    /** The reader's options for this run: the config's source and the account hints. */
    final Map<String, String> readBase;
    /** The lead custom fields mapped to columns (docs/connecting.md), resolved each run. */
    volatile Long gaField;

    volatile Long requestIdField;
    /** Warnings for the journal (a field mapping that no longer resolves). */
    final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    /** Per entity table, duplicate lake rows removed this run before its write (docs/lakehouse.md). */
    final Map<String, Long> repaired = new ConcurrentHashMap<>();

    RunContext(
            SparkSession spark,
            Lake lake,
            EtlConfig config,
            Map<String, String> configSource,
            AmoClient client,
            long accountId,
            Instant serverNow,
            String runId,
            String job,
            PrintStream out,
            Map<String, String> hints) {
        this.spark = spark;
        this.lake = lake;
        this.config = config;
        this.client = client;
        this.accountId = accountId;
        this.serverNow = serverNow;
        this.runId = runId;
        // The server's time when the run began (time comes from the server: docs/lakehouse.md): a row
        // synced at T was listed live by a read that began at T, which orders it against deletions.
        this.syncedAtMicros = serverNow.getEpochSecond() * 1_000_000L;
        this.state = new SyncState(lake, accountId);
        this.journal = new Journal(lake, accountId, runId, job, config.amocrm().sourceName());
        this.out = out;
        this.readBase = new LinkedHashMap<>(configSource);
        this.readBase.putAll(hints);
        this.readBase.put(ReadOptions.ACCOUNT_ID, String.valueOf(accountId));
    }

    /** Per table, the run's journal row: windows of one table add up into one row (docs/lakehouse.md). */
    private final Map<String, Journal.Entry> tallies = new LinkedHashMap<>();

    /** Adds a window's (or a whole table's) figures to the table's journal row for this run. */
    synchronized void tally(Journal.Entry e) {
        Journal.Entry t = tallies.get(e.table);
        if (t == null) {
            // A copy: the window's own entry is reported as it is (the run's summary adds them up).
            tallies.put(e.table, e.copy());
            return;
        }
        t.add(e);
        t.watermarkLagSeconds = e.watermarkLagSeconds != null ? e.watermarkLagSeconds : t.watermarkLagSeconds;
        t.finishedAt = e.finishedAt != null ? e.finishedAt : Instant.now();
        if (e.details != null) {
            t.details = e.details;
        }
    }

    /** Hands every table's row to the journal, marking the given tables partial. */
    synchronized void journalTallies(Set<String> partial, String why) {
        for (String skipped : partial) {
            // A table the budget stopped before its first window still gets its "partial" row.
            tallies.computeIfAbsent(skipped, Journal.Entry::new);
        }
        for (Journal.Entry t : tallies.values()) {
            if (partial.contains(t.table)) {
                t.status = "partial";
                t.error = why;
            }
            journal.write(t);
        }
        tallies.clear();
    }

    /** A read and its rows, materialised (the requests happen then). */
    record Materialized(Dataset<Row> read, Dataset<Row> rows) {}

    /**
     * Materialises a read. When amoCRM rejects the token the driver handed to the read's tasks (it
     * expired or was revoked during a long load; executors cannot refresh, docs/amocrm-api.md §1.3), the
     * driver refreshes (a 401 on its own call does it) and reads again, once: nothing of the read
     * was written yet, so nothing is doubled.
     */
    Materialized materialize(String what, Supplier<Dataset<Row>> build) {
        for (int attempt = 1; ; attempt++) {
            Dataset<Row> read = build.get();
            try {
                Dataset<Row> rows = read.localCheckpoint(true);
                quietAfterExecutorReads();
                return new Materialized(read, rows);
            } catch (Exception e) { // SparkException is checked in Java's eyes but not declared
                quietAfterExecutorReads();
                if (attempt > 1 || !HandedTokenRejected.in(e)) {
                    throw e;
                }
                out.printf("  %s: amoCRM rejected the access token mid-read; refreshing and reading again%n", what);
                client.getObject(Entities.get(Tables.ACCOUNT).path());
            }
        }
    }

    /**
     * On a cluster the read's requests came from executors, whose limiters the driver's does not
     * see: the driver's next request waits until theirs are a window old (docs/api-client.md#on-a-cluster).
     * In local mode the readers share the driver's limiter, so nothing waits.
     */
    private void quietAfterExecutorReads() {
        if (!spark.sparkContext().isLocal()) {
            client.limiter().quietForAWindow();
        }
    }

    /** A read of one entity with this run's options and {@code extra} on top. */
    Dataset<Row> read(String entity, Map<String, String> extra) {
        return spark.read()
                .format("amocrm")
                .option(ReadOptions.ENTITY, entity)
                .options(readBase)
                .options(extra)
                .load();
    }

    public String runId() {
        return runId;
    }

    public long accountId() {
        return accountId;
    }

    /** Per configured-field role ({@link DerivedColumn#GA_CLIENT_ID}, ...), the field id resolved this run, or null. */
    Map<String, Long> configuredFields() {
        Map<String, Long> out = new HashMap<>();
        out.put(DerivedColumn.GA_CLIENT_ID, gaField);
        out.put(DerivedColumn.REQUEST_ID, requestIdField);
        return out;
    }
}
