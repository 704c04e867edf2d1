package io.amocrmetl.retention;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.RetentionSettings;
import io.amocrmetl.lake.Lake;
import io.delta.tables.DeltaOptimizeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the lake's Delta tables healthy (docs/retention.md): OPTIMIZE,
 * retention properties, VACUUM and log checkpoints, each where {@link MaintenancePlan} finds
 * something to do. OPTIMIZE touches only this account's partition; VACUUM, properties and
 * checkpoints are per table, and VACUUM never deletes what a reader of the last vacuum-hours may
 * still need. A dry run decides the same way and changes nothing.
 */
final class Maintenance {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    /** Spark's setting that Delta's VACUUM lists folders with; its default makes 10,000 tasks. */
    static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

    /** What maintenance did (or would do) to one table, and its bytes on disk before and after. */
    record Report(String table, List<String> actions, long bytesBefore, long bytesAfter, double seconds) {
        String describe() {
            return String.join("; ", actions);
        }
    }

    private final Lake lake;
    private final long account;
    private final RetentionSettings settings;
    private final boolean dryRun;
    private final LakeFiles files;

    Maintenance(Lake lake, long account, RetentionSettings settings, boolean dryRun) {
        this.lake = lake;
        this.account = account;
        this.settings = settings;
        this.dryRun = dryRun;
        this.files = new LakeFiles(lake);
    }

    /**
     * Every table of the lake that holds data.
     *
     * @param changed tables this run deleted rows from: their bytes are reported even when nothing else is done
     */
    List<Report> run(Set<String> changed) {
        List<Report> out = new ArrayList<>();
        for (LakeTable t : Tables.all()) {
            Report r = table(t, changed.contains(t.name()));
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** One table; null when it holds no data (nothing to maintain). */
    Report table(LakeTable t, boolean changed) {
        long started = System.nanoTime();
        MaintenancePlan.OnDisk before = files.list(t.name());
        if (before.empty() && !changed) {
            return null;
        }
        List<String> actions = new ArrayList<>();
        boolean committed = changed;
        String partition = MaintenancePlan.partition(t, account);
        int minFiles = settings.optimizeMinFiles();
        Set<String> live = null;
        if (MaintenancePlan.mayOptimize(before, partition, minFiles)) {
            live = files.live(t.name());
            Set<String> current = live;
            List<MaintenancePlan.DataFile> liveFiles = before.data().stream()
                    .filter(f -> current.contains(f.path()))
                    .toList();
            MaintenancePlan.Optimize how = MaintenancePlan.optimize(t, liveFiles, partition, minFiles);
            if (how != MaintenancePlan.Optimize.NONE) {
                long n = liveFiles.stream()
                        .filter(f -> f.partition().equals(partition))
                        .count();
                actions.add(dryRun ? "would " + verb(how, t) + " " + n + " files" : optimize(t, how));
                committed |= !dryRun;
            }
        }
        Map<String, String> set = MaintenancePlan.properties(settings, properties(t));
        if (!set.isEmpty()) {
            String what = set.entrySet().stream()
                    .map(e -> e.getKey() + " = '" + e.getValue() + "'")
                    .collect(Collectors.joining(", "));
            if (!dryRun) {
                lake.spark()
                        .sql("ALTER TABLE " + sqlName(t) + " SET TBLPROPERTIES ("
                                + set.entrySet().stream()
                                        .map(e -> "'" + e.getKey() + "' = '" + e.getValue() + "'")
                                        .collect(Collectors.joining(", "))
                                + ")");
                committed = true;
            }
            actions.add((dryRun ? "would set " : "set ") + what);
        }
        MaintenancePlan.OnDisk now = committed ? files.list(t.name()) : before;
        long nowMillis = System.currentTimeMillis();
        if (MaintenancePlan.vacuum(now, null, nowMillis, settings.vacuumHours())) {
            Set<String> liveNow = committed || live == null ? files.live(t.name()) : live;
            if (MaintenancePlan.vacuum(now, liveNow, nowMillis, settings.vacuumHours())) {
                if (dryRun) {
                    actions.add("would vacuum files removed over " + settings.vacuumHours() + " h ago");
                } else {
                    vacuum(t);
                    MaintenancePlan.OnDisk after = files.list(t.name());
                    actions.add("vacuum (" + settings.vacuumHours() + " h): "
                            + (now.data().size() - after.data().size()) + " files deleted");
                    now = after;
                }
            }
        }
        if (!dryRun && committed) {
            now = files.list(t.name());
        }
        if (MaintenancePlan.checkpoint(now)) {
            actions.add(
                    dryRun ? "would checkpoint version " + now.latestVersion() : checkpoint(t, now.latestVersion()));
            now = dryRun ? now : files.list(t.name());
        }
        return actions.isEmpty() && !changed
                ? null
                : new Report(t.name(), actions, before.bytes(), now.bytes(), (System.nanoTime() - started) / 1e9);
    }

    private String optimize(LakeTable t, MaintenancePlan.Optimize how) {
        DeltaOptimizeBuilder b = lake.delta(t.name()).optimize();
        if (t.partitioned()) {
            b = b.where("account_id = " + account);
        }
        Row r = (how == MaintenancePlan.Optimize.ZORDER ? b.executeZOrderBy(t.parentKey()) : b.executeCompaction())
                .first();
        Row m = r.getStruct(r.fieldIndex("metrics"));
        return verb(how, t) + ": " + m.getLong(m.fieldIndex("numFilesRemoved")) + " → "
                + m.getLong(m.fieldIndex("numFilesAdded")) + " files";
    }

    private static String verb(MaintenancePlan.Optimize how, LakeTable t) {
        return how == MaintenancePlan.Optimize.ZORDER ? "z-order by " + t.parentKey() : "compact";
    }

    private Map<String, String> properties(LakeTable t) {
        Row d = lake.delta(t.name()).detail().first();
        return d.getJavaMap(d.fieldIndex("properties"));
    }

    /**
     * VACUUM at vacuum-hours. The table's deletedFileRetentionDuration was set to the same hours, so
     * Delta's own safety check passes without being switched off (and a forced value below 168 h is
     * the table's declared retention, which also stops time travel beyond it).
     */
    private void vacuum(LakeTable t) {
        SparkSession spark = lake.spark();
        String saved = spark.conf().get(LISTING_PARALLELISM, null);
        int wanted = Math.max(2, spark.sparkContext().defaultParallelism());
        boolean lower = saved == null || Integer.parseInt(saved) > wanted;
        if (lower) {
            spark.conf().set(LISTING_PARALLELISM, String.valueOf(wanted));
        }
        try {
            lake.delta(t.name()).vacuum(settings.vacuumHours());
        } finally {
            if (lower) {
                if (saved == null) {
                    spark.conf().unset(LISTING_PARALLELISM);
                } else {
                    spark.conf().set(LISTING_PARALLELISM, saved);
                }
            }
        }
    }

    /**
     * A checkpoint of the latest version, so readers start from it. Open-source Delta has no public
     * API for it: DeltaLog's own {@code checkpoint()} is stable across releases, and a failure here
     * only leaves it to Delta's automatic checkpoints.
     */
    private String checkpoint(LakeTable t, long version) {
        try {
            DeltaLog.forTable(lake.spark(), lake.path(t)).checkpoint();
            return "checkpoint at version " + version;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("could not checkpoint {}: {}", t.name(), e.toString());
            return "no checkpoint (" + e.getClass().getSimpleName() + ")";
        }
    }

    private String sqlName(LakeTable t) {
        return "delta.`" + lake.path(t).replace("`", "``") + "`";
    }
}
