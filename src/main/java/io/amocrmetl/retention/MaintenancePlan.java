package io.amocrmetl.retention;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.config.RetentionSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What maintenance does to one table (OPTIMIZE with Z-order for child tables, retention
 * properties, VACUUM, a log checkpoint), decided Spark-free from what is on disk. Each action runs
 * only when it has something to do: each costs a commit or a Spark job, and on a lake shared by
 * accounts a commit is a chance to conflict. The rules for each are in docs/retention.md.
 */
final class MaintenancePlan {
    /** A file smaller than this is worth compacting (Delta's own target is 1 GB). */
    static final long SMALL_FILE_BYTES = 128L << 20;

    static final int CHECKPOINT_AFTER = 10;
    static final String DELETED_FILE_RETENTION = "delta.deletedFileRetentionDuration";
    static final String LOG_RETENTION = "delta.logRetentionDuration";
    /** Delta's defaults for the two properties. */
    static final Map<String, Duration> DELTA_DEFAULTS =
            Map.of(DELETED_FILE_RETENTION, Duration.ofDays(7), LOG_RETENTION, Duration.ofDays(30));

    private static final Pattern INTERVAL = Pattern.compile("\\s*(?:interval\\s+)?(\\d+)\\s+([a-z]+?)s?\\s*");
    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
    private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint(\\..*)?\\.parquet");

    private MaintenancePlan() {}

    /** A data file of a table, as listed on disk; {@code partition} is its folder ("account_id=7"), or "". */
    record DataFile(String path, String partition, long bytes, long modifiedMillis) {}

    /**
     * A table on disk: its data files (live or not), the bytes of everything (log included), its
     * latest commit and its latest checkpoint (-1: none).
     */
    record OnDisk(List<DataFile> data, long bytes, long latestVersion, long lastCheckpoint) {
        boolean empty() {
            return data.isEmpty();
        }
    }

    enum Optimize {
        NONE,
        COMPACT,
        ZORDER
    }

    /** The partition folder of one account's rows ("" for a table without the account partition). */
    static String partition(LakeTable t, long account) {
        return t.partitioned() ? "account_id=" + account : "";
    }

    /** How to optimize the account's partition, given its live files. */
    static Optimize optimize(LakeTable t, List<DataFile> live, String partition, int minFiles) {
        long small = live.stream()
                .filter(f -> f.partition().equals(partition) && f.bytes() < SMALL_FILE_BYTES)
                .count();
        if (small < minFiles) {
            return Optimize.NONE;
        }
        return t.role() == LakeTable.Role.CHILD && t.parentKey() != null ? Optimize.ZORDER : Optimize.COMPACT;
    }

    /** Whether the partition may need optimizing, from the disk alone (live or not): saves reading the snapshot. */
    static boolean mayOptimize(OnDisk d, String partition, int minFiles) {
        return d.data().stream()
                        .filter(f -> f.partition().equals(partition) && f.bytes() < SMALL_FILE_BYTES)
                        .count()
                >= minFiles;
    }

    /** Whether VACUUM has anything to delete: a file outside {@code live} written before now − hours. */
    static boolean vacuum(OnDisk d, Set<String> live, long nowMillis, int hours) {
        long before = nowMillis - Duration.ofHours(hours).toMillis();
        return d.data().stream()
                .anyMatch(f -> f.modifiedMillis() <= before && (live == null || !live.contains(f.path())));
    }

    /**
     * Whether to write a checkpoint of the table's latest version: when {@value #CHECKPOINT_AFTER}
     * or more commits followed the last one (or the table's creation). Delta writes one itself
     * every delta.checkpointInterval (20) commits; this halves the JSON a reader may replay. A
     * checkpoint after fewer is not worth its bytes: it is a Parquet file larger than a small
     * table's few commits.
     */
    static boolean checkpoint(OnDisk d) {
        return d.latestVersion() - Math.max(d.lastCheckpoint(), 0) >= CHECKPOINT_AFTER;
    }

    /** The properties the settings want: vacuum-hours and log-days, as Delta intervals. */
    static Map<String, String> wanted(RetentionSettings s) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(DELETED_FILE_RETENTION, "interval " + s.vacuumHours() + " hours");
        out.put(LOG_RETENTION, "interval " + s.logDays() + " days");
        return out;
    }

    /** The properties to set: those whose value differs from the table's (an unset one counts as Delta's default). */
    static Map<String, String> properties(RetentionSettings s, Map<String, String> current) {
        Map<String, String> out = new LinkedHashMap<>();
        wanted(s).forEach((k, v) -> {
            Duration have = current.containsKey(k) ? interval(current.get(k)) : DELTA_DEFAULTS.get(k);
            if (have == null || !have.equals(interval(v))) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** A Delta interval property ("interval 7 days", "interval 168 hours"); null when it is not one. */
    static Duration interval(String value) {
        Matcher m = value == null ? null : INTERVAL.matcher(value.toLowerCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "second" -> Duration.ofSeconds(n);
            case "minute" -> Duration.ofMinutes(n);
            case "hour" -> Duration.ofHours(n);
            case "day" -> Duration.ofDays(n);
            case "week" -> Duration.ofDays(7 * n);
            default -> null;
        };
    }

    /** The version a log file name commits (00000000000000000012.json), or -1. */
    static long commitVersion(String name) {
        Matcher m = COMMIT.matcher(name);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The version a checkpoint file name holds (classic, multi-part or v2), or -1. */
    static long checkpointVersion(String name) {
        Matcher m = CHECKPOINT.matcher(name);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Bytes for people: 1.5 MB. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
