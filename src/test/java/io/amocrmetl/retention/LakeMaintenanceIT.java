package io.amocrmetl.retention;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.config.RetentionSettings;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.testing.LakeTemplate;
import io.amocrmetl.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lake maintenance on small lakes written directly with Delta (docs/retention.md):
 * VACUUM after deletes lowers the bytes on disk and makes the
 * vacuumed version unreadable the way Delta documents; OPTIMIZE after 50 small commits leaves a
 * child table with fewer files, the same rows, Z-ordered by the parent key, and other accounts'
 * files alone.
 */
class LakeMaintenanceIT {
    static final long ACCOUNT = 31_000_001L;
    static final long OTHER = 31_000_002L;
    static final Instant NOW = Instant.parse("2025-06-30T12:00:00Z");

    @TempDir
    Path dir;

    final SparkSession spark = SparkTestSession.get();

    /** 50 incremental commits, then maintenance: fewer files, same content, Z-ordered, others untouched. */
    @Test
    void optimizeAfterFiftySmallCommitsLeavesFewerFilesAndTheSameRows() throws IOException {
        Lake lake = lake();
        LakeTable child = Tables.get(Tables.customFieldValues("leads"));
        for (int commit = 0; commit < 50; commit++) {
            // An hourly ingest's worth: a few leads' field values, one small file per commit.
            long base = commit * 5L;
            append(
                    lake,
                    child,
                    spark.range(base, base + 5)
                            .selectExpr(
                                    ACCOUNT + "L AS account_id",
                                    "(id * 7919) % 1000 AS entity_id",
                                    "id % 3 AS field_id",
                                    "'Поле' AS field_name",
                                    "'text' AS field_type",
                                    "0 AS value_index",
                                    "concat('v', id) AS value"));
        }
        append(
                lake,
                child,
                spark.range(0, 3)
                        .selectExpr(
                                OTHER + "L AS account_id",
                                "id AS entity_id",
                                "1L AS field_id",
                                "0 AS value_index",
                                "'other' AS value"));
        String partition = "account_id=" + ACCOUNT;
        List<Path> before = dataFiles(lake, child, partition);
        List<Path> others = dataFiles(lake, child, "account_id=" + OTHER);
        assertEquals(50, before.size(), "one file per commit");
        List<String> rows = sorted(lake.read(child.name(), ACCOUNT));
        long version = version(lake, child);
        RetentionSettings settings = EtlConfig.load(null, Map.of()).retention();

        Maintenance.Report planned = new Maintenance(lake, ACCOUNT, settings, true).table(child, false);
        assertTrue(planned.describe().contains("would z-order by entity_id 50 files"), planned.describe());
        assertEquals(version, version(lake, child), "a dry run commits nothing");

        Maintenance.Report done = new Maintenance(lake, ACCOUNT, settings, false).table(child, false);
        assertTrue(done.describe().contains("z-order by entity_id: 50 → 1 files"), done.describe());
        Set<String> live =
                new HashSet<>(List.of(lake.read(child.name(), ACCOUNT).inputFiles()));
        assertTrue(live.size() < 50, "fewer files: " + live.size());
        assertEquals(1, live.size());
        assertEquals(rows, sorted(lake.read(child.name(), ACCOUNT)), "the same rows");
        Row op = lake.delta(child.name())
                .history()
                .where("operation = 'OPTIMIZE'")
                .first();
        Map<String, String> params = op.getJavaMap(op.fieldIndex("operationParameters"));
        assertEquals("[\"entity_id\"]", params.get("zOrderBy"), "clustered by the registry's parent key");
        assertTrue(
                params.get("predicate").contains("account_id = " + ACCOUNT),
                "only this account's partition: " + params);
        assertEquals(others, dataFiles(lake, child, "account_id=" + OTHER), "another account's files are not touched");
        assertTrue(done.describe().contains("checkpoint at version " + version(lake, child)), done.describe());
        assertTrue(
                Files.exists(Path.of(
                        lake.path(child),
                        "_delta_log",
                        String.format("%020d.checkpoint.parquet", version(lake, child)))),
                "a checkpoint of the last version");
        // Nothing left to do: a second run changes nothing.
        assertTrue(new Maintenance(lake, ACCOUNT, settings, false).table(child, false) == null);
    }

    /** Deletes, then VACUUM (forced to 0 h): fewer bytes, the old version gone. */
    @Test
    void vacuumAfterDeletesLowersTheBytesOnDiskAndTheVacuumedVersionCannotBeRead() throws IOException {
        Lake lake = lake();
        LakeTable leads = Tables.get("leads");
        LakeTable tags = Tables.get(Tables.tags("leads"));
        long old = NOW.minus(Duration.ofDays(200)).getEpochSecond();
        long recent = NOW.minus(Duration.ofDays(10)).getEpochSecond();
        for (int commit = 0; commit < 4; commit++) {
            long base = commit * 40L;
            // Half the leads of each commit are older than the 90-day rule, half are not. Each has a name
            // of 1.5 KB that does not compress: as in a real lake, data, not the log, fills the disk.
            append(
                    lake,
                    leads,
                    spark.range(base, base + 40)
                            .selectExpr(
                                    ACCOUNT + "L AS account_id",
                                    "id",
                                    "concat_ws('', transform(sequence(1, 24), i -> sha2(concat(id, '-', i), 256))) AS name",
                                    "timestamp_seconds(" + old + " - id) AS created_at",
                                    "timestamp_seconds(IF(id % 2 = 0, " + old + ", " + recent + ") + id) AS updated_at",
                                    "false AS is_deleted"));
        }
        append(
                lake,
                tags,
                spark.range(0, 160)
                        .selectExpr(
                                ACCOUNT + "L AS account_id",
                                "id AS entity_id",
                                "id % 4 AS tag_id",
                                "concat('tag ', id % 4) AS tag_name"));
        long leadsVersion = version(lake, leads);
        long leadsBytes = bytes(Path.of(lake.path(leads)));
        List<Path> oldFiles = dataFiles(lake, leads, "account_id=" + ACCOUNT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EtlConfig config = EtlConfig.load(
                null,
                Map.of(
                        "lake.path",
                        lake.root(),
                        "retention.tables.leads.days",
                        "90",
                        "retention.vacuum-hours",
                        "0",
                        "retention.vacuum-force",
                        "true"));
        RetentionJob.Result r;
        try (PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            r = RetentionJob.run(spark, config, ACCOUNT, NOW, false, p);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertEquals(80L, r.rows().get("leads"), printed);
        assertEquals(80L, r.rows().get(tags.name()), printed);
        assertEquals(80, lake.read(leads.name(), ACCOUNT).count());
        assertEquals(0, lake.read(leads.name(), ACCOUNT).where("id % 2 = 0").count(), "exactly the old ones went");
        assertEquals(
                0, lake.read(tags.name(), ACCOUNT).where("entity_id % 2 = 0").count(), "with their tags");
        assertEquals(80, lake.read(tags.name(), ACCOUNT).count());
        assertTrue(printed.contains("warning: retention.vacuum-force"), printed);
        assertTrue(printed.contains("bytes on disk: "), printed);

        assertTrue(r.bytesAfter() < r.bytesBefore(), "the lake shrinks: " + r.bytesBefore() + " -> " + r.bytesAfter());
        long after = bytes(Path.of(lake.path(leads)));
        assertTrue(after < leadsBytes, "the leads table shrinks: " + leadsBytes + " -> " + after);
        for (Path f : oldFiles) {
            assertFalse(Files.exists(f), "vacuumed: " + f);
        }
        // Delta refuses time travel beyond the table's deletedFileRetentionDuration (here 0 h)...
        Exception refused = assertThrows(
                Exception.class,
                () -> spark.read()
                        .format("delta")
                        .option("versionAsOf", leadsVersion)
                        .load(lake.path(leads))
                        .collectAsList());
        assertTrue(
                refused.getMessage().contains("DELTA_UNSUPPORTED_TIME_TRAVEL_BEYOND_DELETED_FILE_RETENTION_DURATION"),
                refused.getMessage());
        // ... and without that guard the version's files are simply gone. The guard is switched off
        // in a session of its own: other IT classes share this one (docs/testing.md, "CI budget").
        SparkSession unguarded = spark.newSession();
        unguarded
                .conf()
                .set("spark.databricks.delta.vacuum.enforceTimeTravelWithinDeletedFileRetentionDuration", "false");
        Exception missing = assertThrows(
                Exception.class,
                () -> unguarded
                        .read()
                        .format("delta")
                        .option("versionAsOf", leadsVersion)
                        .load(lake.path(leads))
                        .collectAsList());
        assertTrue(
                String.valueOf(rootMessage(missing)).contains("does not exist")
                        || String.valueOf(rootMessage(missing)).contains("FileNotFound"),
                rootMessage(missing));
        assertEquals(80, lake.read(leads.name(), ACCOUNT).collectAsList().size(), "the current version reads");
    }

    Lake lake() {
        Path root = dir.resolve("lake");
        LakeTemplate.copyTo(root);
        return Lake.open(spark, root.toString());
    }

    /** Appends rows with the table's schema (columns not given are null) as one commit of one file. */
    static void append(Lake lake, LakeTable t, Dataset<Row> partial) {
        List<Column> cols = new ArrayList<>();
        Set<String> given = Set.of(partial.columns());
        for (StructField f : t.schema().fields()) {
            cols.add((given.contains(f.name()) ? col(f.name()) : lit(null))
                    .cast(f.dataType())
                    .as(f.name()));
        }
        partial.select(cols.toArray(new Column[0]))
                .coalesce(1)
                .write()
                .format("delta")
                .mode("append")
                .save(lake.path(t));
    }

    static long version(Lake lake, LakeTable t) {
        return lake.delta(t.name()).history(1).first().getLong(0);
    }

    static List<String> sorted(Dataset<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows.drop("_synced_at", "_run_id").collectAsList()) {
            out.add(r.toString());
        }
        out.sort(String::compareTo);
        return out;
    }

    static List<Path> dataFiles(Lake lake, LakeTable t, String partition) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(lake.path(t), partition))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .sorted()
                    .toList();
        }
    }

    static long bytes(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    static String rootMessage(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append(" | ");
        }
        return all.toString();
    }
}
