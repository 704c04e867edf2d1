package io.amocrmetl.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.config.RetentionSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Maintenance decisions from what is on disk, without Spark: each action only when it has work. */
class MaintenancePlanTest {
    static final long ACCOUNT = 7;
    static final long NOW = 1_750_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final RetentionSettings DEFAULTS = EtlConfig.load(null, Map.of()).retention();

    static List<MaintenancePlan.DataFile> files(int n, String partition, long bytes, long modified) {
        List<MaintenancePlan.DataFile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new MaintenancePlan.DataFile(
                    "/lake/t/" + partition + "/part-" + partition + "-" + i + ".parquet", partition, bytes, modified));
        }
        return out;
    }

    @Test
    void childTablesAreZOrderedByTheirParentKeyAndOthersCompactedOnceSmallFilesPileUp() {
        String p = MaintenancePlan.partition(Tables.get("leads_tags"), ACCOUNT);
        assertEquals("account_id=7", p);
        LakeTable child = Tables.get("leads_tags");
        LakeTable link = Tables.get(Tables.LEAD_CONTACTS);
        LakeTable entity = Tables.get("leads");
        assertEquals(MaintenancePlan.Optimize.ZORDER, MaintenancePlan.optimize(child, files(10, p, 1000, NOW), p, 10));
        assertEquals("entity_id", child.parentKey());
        assertEquals(MaintenancePlan.Optimize.ZORDER, MaintenancePlan.optimize(link, files(12, p, 1000, NOW), p, 10));
        assertEquals("lead_id", link.parentKey(), "a link table's parent key, from the registry");
        assertEquals(
                MaintenancePlan.Optimize.COMPACT, MaintenancePlan.optimize(entity, files(10, p, 1000, NOW), p, 10));
        assertEquals(
                MaintenancePlan.Optimize.NONE,
                MaintenancePlan.optimize(child, files(9, p, 1000, NOW), p, 10),
                "too few small files");
        List<MaintenancePlan.DataFile> big = files(20, p, MaintenancePlan.SMALL_FILE_BYTES, NOW);
        assertEquals(
                MaintenancePlan.Optimize.NONE, MaintenancePlan.optimize(child, big, p, 10), "big files are compact");
        List<MaintenancePlan.DataFile> other = files(20, "account_id=8", 1000, NOW);
        assertEquals(
                MaintenancePlan.Optimize.NONE,
                MaintenancePlan.optimize(child, other, p, 10),
                "another account's partition is not this run's");
        assertEquals(
                "", MaintenancePlan.partition(Tables.get(Tables.LAKE_META), ACCOUNT), "_lake_meta has no partitions");
        MaintenancePlan.OnDisk disk = new MaintenancePlan.OnDisk(files(10, p, 1000, NOW), 10_000, 12, 10);
        assertTrue(MaintenancePlan.mayOptimize(disk, p, 10));
        assertFalse(MaintenancePlan.mayOptimize(disk, p, 11));
    }

    @Test
    void vacuumRunsOnlyWhenAFileOutsideTheCurrentVersionIsOlderThanTheRetention() {
        List<MaintenancePlan.DataFile> data = new ArrayList<>(files(3, "account_id=7", 100, NOW - 200 * HOUR));
        Set<String> live =
                Set.of(data.get(0).path(), data.get(1).path(), data.get(2).path());
        data.addAll(files(2, "account_id=8", 100, NOW - HOUR)); // removed an hour ago at the earliest
        MaintenancePlan.OnDisk d = new MaintenancePlan.OnDisk(data, 500, 5, -1);
        assertFalse(MaintenancePlan.vacuum(d, live, NOW, 168), "the removed files are younger than 168 h");
        assertTrue(MaintenancePlan.vacuum(d, live, NOW, 0), "with 0 h every removed file goes");
        assertTrue(MaintenancePlan.vacuum(d, null, NOW, 168), "without the live set, old files may be removed ones");
        assertFalse(MaintenancePlan.vacuum(new MaintenancePlan.OnDisk(files(3, "", 1, NOW), 3, 1, -1), null, NOW, 168));
    }

    @Test
    void aCheckpointFollowsTenCommits() {
        assertFalse(
                MaintenancePlan.checkpoint(new MaintenancePlan.OnDisk(List.of(), 0, 3, -1)),
                "a few commits replay fast");
        assertTrue(MaintenancePlan.checkpoint(new MaintenancePlan.OnDisk(List.of(), 0, 10, -1)));
        assertTrue(MaintenancePlan.checkpoint(new MaintenancePlan.OnDisk(List.of(), 0, 30, 20)));
        assertFalse(MaintenancePlan.checkpoint(new MaintenancePlan.OnDisk(List.of(), 0, 29, 20)));
        assertFalse(MaintenancePlan.checkpoint(new MaintenancePlan.OnDisk(List.of(), 0, 20, 20)), "already there");
        assertFalse(MaintenancePlan.checkpoint(new MaintenancePlan.OnDisk(List.of(), 0, 0, -1)), "a new empty table");
    }

    @Test
    void retentionPropertiesAreSetOnlyWhenTheTableDiffers() {
        assertTrue(MaintenancePlan.properties(DEFAULTS, Map.of()).isEmpty(), "unset is Delta's default, which is ours");
        assertTrue(
                MaintenancePlan.properties(
                                DEFAULTS,
                                Map.of(
                                        "delta.deletedFileRetentionDuration",
                                        "interval 7 days",
                                        "delta.logRetentionDuration",
                                        "interval 720 hours"))
                        .isEmpty(),
                "the same durations, spelled otherwise");
        RetentionSettings longer = EtlConfig.load(
                        null, Map.of("retention.vacuum-hours", "336", "retention.log-days", "60"))
                .retention();
        assertEquals(
                Map.of(
                        "delta.deletedFileRetentionDuration",
                        "interval 336 hours",
                        "delta.logRetentionDuration",
                        "interval 60 days"),
                MaintenancePlan.properties(longer, Map.of()));
        assertEquals(
                Map.of("delta.deletedFileRetentionDuration", "interval 168 hours"),
                MaintenancePlan.properties(DEFAULTS, Map.of("delta.deletedFileRetentionDuration", "interval 0 hours")),
                "a value set by an earlier config is reset");
        assertEquals(
                Map.of("delta.logRetentionDuration", "interval 30 days"),
                MaintenancePlan.properties(DEFAULTS, Map.of("delta.logRetentionDuration", "forever")),
                "an unreadable value is replaced");
    }

    @Test
    void deltaIntervalsAndLogFileNamesAreRead() {
        assertEquals(Duration.ofDays(7), MaintenancePlan.interval("interval 7 days"));
        assertEquals(Duration.ofHours(1), MaintenancePlan.interval("INTERVAL 1 HOUR"));
        assertEquals(Duration.ofDays(14), MaintenancePlan.interval("2 weeks"));
        assertNull(MaintenancePlan.interval("interval 3 fortnights"));
        assertNull(MaintenancePlan.interval(null));
        assertEquals(12, MaintenancePlan.commitVersion("00000000000000000012.json"));
        assertEquals(-1, MaintenancePlan.commitVersion("00000000000000000012.crc"));
        assertEquals(-1, MaintenancePlan.commitVersion("00000000000000000010.checkpoint.parquet"));
        assertEquals(10, MaintenancePlan.checkpointVersion("00000000000000000010.checkpoint.parquet"));
        assertEquals(
                20, MaintenancePlan.checkpointVersion("00000000000000000020.checkpoint.0000000001.0000000002.parquet"));
        assertEquals(
                30,
                MaintenancePlan.checkpointVersion(
                        "00000000000000000030.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.parquet"));
        assertEquals(-1, MaintenancePlan.checkpointVersion("_last_checkpoint"));
        assertTrue(LakeFiles.hidden("_delta_log/00000000000000000000.json"));
        assertTrue(LakeFiles.hidden("account_id=7/.part-0.parquet.crc"));
        assertFalse(LakeFiles.hidden("account_id=7/part-0.parquet"));
        assertEquals("512 B", MaintenancePlan.bytes(512));
        assertEquals("1.5 MB", MaintenancePlan.bytes(1_572_864));
    }
}
