package io.amocrmetl.marts;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.AccountLeases;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.state.Journal;
import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code marts}: builds the marts over the lake (docs/marts-and-notebooks.md). Tables are
 * written whole to {@code marts.path}/NAME as Delta (one atomic overwrite each, so readers see the
 * previous version until it commits); views are checked and left for readers to register
 * ({@link MartViews}). Each table's rows per account go to {@code _journal} (job {@code marts}).
 */
public final class MartsJob {
    /** One mart done: its kind, rows (tables) and seconds. */
    public record Built(String name, String kind, long rows, double seconds) {}

    public record Result(String runId, List<Built> built, double seconds) {}

    /** Views most marts read: computed once per run rather than once per mart. */
    private static final Set<String> SHARED = Set.of("lead_facts", "lead_status_stays");

    private MartsJob() {}

    /** The run, exiting 7 (busy) at once when another job holds one of the lake's accounts. */
    public static Result run(SparkSession spark, EtlConfig cfg, List<String> only, PrintStream out) {
        return run(spark, cfg, only, Duration.ZERO, out);
    }

    /**
     * @param only the marts to (re)write, null for all; the others are registered as they are
     * @param waitForLease how long to wait for other jobs holding the lake's accounts (docs/lakehouse.md)
     */
    public static Result run(
            SparkSession spark, EtlConfig cfg, List<String> only, Duration waitForLease, PrintStream out) {
        long started = System.nanoTime();
        Lake existing = Lake.readOnly(spark, cfg.lakePath());
        if (!existing.exists(Tables.get(Tables.LAKE_META))) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG, "no lake at " + cfg.lakePath() + " (lake.path): run ingest first");
        }
        Lake lake = Lake.open(spark, cfg.lakePath());
        List<Mart> marts = MartCatalog.all(cfg.marts().mybiViews());
        Set<String> selected = select(marts, only);
        String runId = UUID.randomUUID().toString();
        out.printf(
                "marts %s: lake %s, tables to %s%n",
                runId.substring(0, 8), lake.root(), cfg.marts().path());
        List<String> missing = LakeViews.register(lake);
        Map<Long, String> zones = checkZones(spark);
        notes(cfg, missing, zones, out);
        // Marts join every account's tables and journal per account: they hold every account's lease, so
        // no ingest commits half of a run beneath them (docs/lakehouse.md, "One writer per account").
        try (AccountLeases leases =
                AccountLeases.acquire(lake, zones.keySet(), "marts", runId, cfg.leaseExpiry(), waitForLease, out)) {

            Map<Long, Journal> journals = new LinkedHashMap<>();
            zones.keySet()
                    .forEach(a -> journals.put(
                            a, new Journal(lake, a, runId, "marts", cfg.amocrm().sourceName())));
            MartBuilder builder = new MartBuilder(lake);
            List<Built> built = new ArrayList<>();
            List<Dataset<Row>> cached = new ArrayList<>();
            try {
                for (Mart m : marts) {
                    long t0 = System.nanoTime();
                    String path = MartViews.tablePath(cfg.marts(), m);
                    try {
                        if (m.kind() == Mart.Kind.TABLE && selected.contains(m.name())) {
                            // Computed once: counted per account for the journal, then written from the cache.
                            Dataset<Row> rowsOf = builder.dataset(m).persist(StorageLevel.MEMORY_AND_DISK());
                            Map<Long, Long> rows = rowsPerAccount(rowsOf);
                            rowsOf.write()
                                    .format("delta")
                                    .mode("overwrite")
                                    .option("overwriteSchema", "true")
                                    .save(path);
                            rowsOf.unpersist();
                            spark.read().format("delta").load(path).createOrReplaceTempView(m.name());
                            double secs = (System.nanoTime() - t0) / 1e9;
                            journal(journals, m.name(), rows, secs, null);
                            long total = rows.values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum();
                            built.add(new Built(m.name(), m.kind().word(), total, secs));
                            out.printf("  %-26s table %9d rows %7.1f s%n", m.name(), total, secs);
                        } else if (m.kind() == Mart.Kind.TABLE && DeltaTable.isDeltaTable(spark, path)) {
                            spark.read().format("delta").load(path).createOrReplaceTempView(m.name());
                        } else {
                            // A view (or a table left out by --only and never written): defined and analysed now.
                            Dataset<Row> view = builder.dataset(m);
                            if (SHARED.contains(m.name())) {
                                view = view.persist(StorageLevel.MEMORY_AND_DISK());
                                cached.add(view);
                            }
                            view.createOrReplaceTempView(m.name());
                            if (m.group() == Mart.Group.ANALYSIS || m.group() == Mart.Group.MYBI) {
                                built.add(new Built(m.name(), "view", -1, (System.nanoTime() - t0) / 1e9));
                                out.printf("  %-26s view  %s%n", m.name(), "(defined when read)");
                            }
                        }
                    } catch (Exception e) { // Spark's AnalysisException is undeclared (Scala)
                        String why = String.valueOf(e.getMessage())
                                .lines()
                                .findFirst()
                                .orElse(e.toString());
                        journal(journals, m.name(), Map.of(), (System.nanoTime() - t0) / 1e9, why);
                        throw new EtlException(ExitCode.UNEXPECTED, "mart " + m.name() + " failed: " + why, e);
                    }
                }
            } finally {
                cached.forEach(Dataset::unpersist);
                journals.values().forEach(Journal::flush);
            }
            double secs = (System.nanoTime() - started) / 1e9;
            long tables = built.stream().filter(b -> b.kind().equals("table")).count();
            out.printf(
                    "marts %s done: %d tables written, %d views, %d *_current views, %.1f s%n",
                    runId.substring(0, 8),
                    tables,
                    built.size() - tables,
                    MartCatalog.currentViews().size(),
                    secs);
            return new Result(runId, built, secs);
        }
    }

    /** The marts to write: all tables, or those named (each must be a mart). */
    static Set<String> select(List<Mart> marts, List<String> only) {
        Set<String> all = new LinkedHashSet<>();
        marts.forEach(m -> all.add(m.name()));
        if (only == null || only.isEmpty()) {
            return all;
        }
        for (String name : only) {
            if (!all.contains(name)) {
                throw new EtlException(
                        ExitCode.BAD_CONFIG,
                        "--only: no mart '" + name + "'; one of "
                                + String.join(
                                        ", ",
                                        marts.stream()
                                                .filter(m -> m.group() != Mart.Group.CURRENT)
                                                .map(Mart::name)
                                                .toList()));
            }
        }
        return new LinkedHashSet<>(only);
    }

    /** Each account's time zone; a zone Java does not know stops the run, naming the account. */
    private static Map<Long, String> checkZones(SparkSession spark) {
        Map<Long, String> zones = new LinkedHashMap<>();
        for (Row r : spark.sql("SELECT account_id, timezone FROM account ORDER BY account_id")
                .collectAsList()) {
            String tz = r.isNullAt(1) ? null : r.getString(1);
            if (tz != null && !tz.isBlank()) {
                try {
                    ZoneId.of(tz);
                } catch (DateTimeException e) {
                    throw new EtlException(
                            ExitCode.UNEXPECTED,
                            "account " + r.getLong(0) + " has the time zone '" + tz
                                    + "', which Java does not know: months cannot be computed in it");
                }
            }
            zones.put(r.getLong(0), tz);
        }
        return zones;
    }

    private static void notes(EtlConfig cfg, List<String> missing, Map<Long, String> zones, PrintStream out) {
        zones.forEach((account, tz) -> {
            if (tz == null || tz.isBlank()) {
                out.printf("  note: account %d has no time zone in the account table: its months are UTC%n", account);
            }
        });
        if (cfg.amocrm().gaClientIdField() == null) {
            out.println(
                    "  note: amocrm.custom-fields.ga-client-id is not set: ga_client_id_coverage counts every lead as without");
        }
        List<String> absent = missing.stream().filter(t -> !t.startsWith("_")).toList();
        if (!absent.isEmpty()) {
            out.println("  note: the lake has no " + String.join(", ", absent) + " (empty in the marts)");
        }
    }

    private static Map<Long, Long> rowsPerAccount(Dataset<Row> table) {
        Map<Long, Long> out = new LinkedHashMap<>();
        if (!Arrays.asList(table.columns()).contains(Columns.ACCOUNT_ID)) {
            return out;
        }
        for (Row r : table.groupBy(Columns.ACCOUNT_ID).count().collectAsList()) {
            if (!r.isNullAt(0)) {
                out.put(r.getLong(0), r.getLong(1));
            }
        }
        return out;
    }

    private static void journal(
            Map<Long, Journal> journals, String mart, Map<Long, Long> rows, double secs, String error) {
        journals.forEach((account, j) -> {
            Journal.Entry e = new Journal.Entry(mart);
            e.rowsUpserted = rows.getOrDefault(account, 0L);
            e.seconds = secs;
            if (error != null) {
                e.status = "failed";
                e.error = error;
            }
            j.write(e);
        });
    }
}
