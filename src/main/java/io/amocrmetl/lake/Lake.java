package io.amocrmetl.lake;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lakehouse under {@code lake.path}: one Delta table per {@link LakeTable}, in a folder of its
 * name, partitioned by account_id. {@link #open} creates what is missing and refuses a lake whose
 * layout is newer than this binary ({@code _lake_meta}).
 */
public final class Lake {
    private static final Logger LOG = LoggerFactory.getLogger(Lake.class);
    private final SparkSession spark;
    private final String root;

    private Lake(SparkSession spark, String root) {
        this.spark = spark;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /** Opens the lake for writing: creates missing tables and checks the layout version. */
    public static Lake open(SparkSession spark, String root) {
        Lake lake = new Lake(spark, root);
        lake.ensureTables();
        lake.checkLayout(true);
        return lake;
    }

    /** Opens the lake for reading only (sql, journal): nothing is created. */
    public static Lake readOnly(SparkSession spark, String root) {
        return new Lake(spark, root);
    }

    public SparkSession spark() {
        return spark;
    }

    public String root() {
        return root;
    }

    public String path(LakeTable t) {
        return root + "/" + t.name();
    }

    public String path(String table) {
        return path(Tables.get(table));
    }

    public boolean exists(LakeTable t) {
        return DeltaTable.isDeltaTable(spark, path(t));
    }

    public Dataset<Row> read(String table) {
        return spark.read().format("delta").load(path(table));
    }

    /** One account's rows of a table (a partition filter). */
    public Dataset<Row> read(String table, long accountId) {
        return read(table).where("account_id = " + accountId);
    }

    public DeltaTable delta(String table) {
        return DeltaTable.forPath(spark, path(table));
    }

    /** Every existing table as a temporary view by its name (the {@code sql} command). */
    public List<String> registerViews() {
        List<String> out = new ArrayList<>();
        for (LakeTable t : Tables.all()) {
            if (exists(t)) {
                spark.read().format("delta").load(path(t)).createOrReplaceTempView(t.name());
                out.add(t.name());
            }
        }
        return out;
    }

    private void ensureTables() {
        long started = System.nanoTime();
        List<LakeTable> missing = Tables.all().stream().filter(t -> !exists(t)).toList();
        if (missing.isEmpty()) {
            return;
        }
        // Creating a table is mostly waiting on the file system: a few at a time.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (LakeTable t : missing) {
                done.add(pool.submit(() -> create(t)));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EtlException(ExitCode.UNEXPECTED, "interrupted while creating the lake", e);
                }
            }
        } finally {
            pool.shutdown();
        }
        LOG.info(
                "created {} tables under {} in {} ms", missing.size(), root, (System.nanoTime() - started) / 1_000_000);
    }

    private void create(LakeTable t) {
        try {
            var b = DeltaTable.createIfNotExists(spark).location(path(t)).addColumns(t.schema());
            if (t.partitioned()) {
                b = b.partitionedBy(Columns.ACCOUNT_ID);
            }
            // Checkpoints keep the log short for hourly commits (docs/retention.md).
            b.property("delta.checkpointInterval", "20").execute();
        } catch (RuntimeException e) {
            // Another run (another account) may have created it at the same moment.
            if (!exists(t)) {
                throw new EtlException(
                        ExitCode.UNEXPECTED, "could not create the lake table " + path(t) + ": " + e.getMessage(), e);
            }
        }
    }

    /** The layout version the lake records; writes it when the lake is new. */
    public int checkLayout(boolean forWriting) {
        LakeTable meta = Tables.get(Tables.LAKE_META);
        if (!exists(meta)) {
            if (forWriting) {
                throw new EtlException(ExitCode.UNEXPECTED, "the lake at " + root + " has no " + Tables.LAKE_META);
            }
            return Tables.LAYOUT_VERSION;
        }
        List<Row> rows = read(Tables.LAKE_META).where("name = 'layout_version'").collectAsList();
        if (rows.isEmpty()) {
            if (forWriting) {
                Row r = RowFactory.create(
                        "layout_version", String.valueOf(Tables.LAYOUT_VERSION), Timestamp.from(Instant.now()));
                delta(Tables.LAKE_META)
                        .as("t")
                        .merge(spark.createDataFrame(List.of(r), meta.schema()).as("s"), "t.name = s.name")
                        .whenNotMatched()
                        .insertAll()
                        .execute();
                LOG.info("new lake at {}: layout version {}", root, Tables.LAYOUT_VERSION);
            }
            return Tables.LAYOUT_VERSION;
        }
        int version = Integer.parseInt(rows.get(0).getString(1));
        if (version > Tables.LAYOUT_VERSION) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "the lake at " + root + " has layout version " + version + ", newer than this binary's "
                            + Tables.LAYOUT_VERSION + ": upgrade amocrm-etl before writing to it");
        }
        if (version < Tables.LAYOUT_VERSION && forWriting) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "the lake at " + root + " has layout version " + version + "; this binary writes "
                            + Tables.LAYOUT_VERSION + ". Run `amocrm-etl migrate` first.");
        }
        return version;
    }
}
