package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.LakeWrites;
import io.amocrmetl.lake.WriteConflicts;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.testing.ExpectedLake;
import io.amocrmetl.testing.LakeTemplate;
import io.amocrmetl.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers that overlap (docs/lakehouse.md, "Overlapping runs"): keyed rows are never blindly
 * appended, so two writers of the same new keys conflict instead of both committing them, and a
 * lake that already holds a key twice (as older versions could leave it) is repaired by the next
 * ingest instead of failing every MERGE that touches the key.
 */
class OverlappingWritesIT {
    @TempDir
    Path dir;

    /** Both writers start together; whichever order Delta sees, each key is in the table once. */
    @Test
    void twoWritersOfTheSameNewKeysNeverDuplicateThem() throws Exception {
        SparkSession spark = SparkTestSession.get();
        LakeTemplate.copyTo(dir);
        Lake lake = Lake.open(spark, dir.toString());
        long account = 7;
        for (String name : List.of(Tables.LEAD_STATUS_HISTORY, "leads_tags")) {
            LakeTable table = Tables.get(name);
            Dataset<Row> rows = rows(spark, table, account, 40);
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                writers.add(pool.submit(() -> {
                    start.await();
                    LakeWrites.upsert(lake, table, account, rows, true);
                    return null;
                }));
            }
            int committed = 0;
            for (Future<?> w : writers) {
                try {
                    w.get();
                    committed++;
                } catch (java.util.concurrent.ExecutionException e) {
                    // The loser of an overlap: Delta's conflict, never a second copy of the rows.
                    assertTrue(WriteConflicts.isConflict(e.getCause()), name + ": " + e.getCause());
                    assertTrue(WriteConflicts.explain("ingest", name, account, (RuntimeException) e.getCause())
                            .getMessage()
                            .contains("run ingest again"));
                }
            }
            pool.shutdown();
            assertTrue(committed >= 1, name + ": one writer commits");
            Dataset<Row> have = lake.read(name, account);
            assertEquals(40, have.count(), name + ": each key once after two writers of the same rows");
            assertEquals(
                    40,
                    have.select(table.key().stream()
                                    .map(org.apache.spark.sql.functions::col)
                                    .toArray(org.apache.spark.sql.Column[]::new))
                            .distinct()
                            .count());
        }
    }

    /**
     * An older version's overlapping runs left every lead and its child rows twice; the next ingest
     * keeps the newest of each key, writes its changes, equals the expectation and journals the repair.
     */
    @Test
    void duplicateKeysLeftByAnOlderVersionAreRepairedByTheNextIngest() {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(404).withLeads(12), dir)) {
            // This small account has an unsorted item older than the first run's 400 days.
            h.config.put("tables.unsorted.enabled", "false");
            h.run();
            long account = h.sandbox.groundTruth().account().id();
            List<String> doubled = new ArrayList<>(List.of(Tables.LEADS));
            Tables.childrenOf(Tables.LEADS).forEach(c -> doubled.add(c.name()));
            for (String t : doubled) {
                // What two overlapping appends of an older version left: every row twice.
                h.lake()
                        .read(t, account)
                        .localCheckpoint(true)
                        .write()
                        .format("delta")
                        .mode("append")
                        .save(dir.resolve("lake").resolve(t).toString());
            }
            long before = h.lake().read(Tables.LEADS, account).count();
            Lead renamed = h.sandbox.groundTruth().leads().live().get(0);
            h.sandbox.account().renameLead(renamed.id(), "after the repair");
            h.sandbox.account().addLead("new after the repair", 10);

            IngestJob.Result r = h.run();
            assertEquals(io.amocrmetl.core.ExitCode.OK, r.exitCode(), h.lastOutput);
            h.assertLake(new ExpectedLake(h.sandbox.groundTruth(), LakeHarness.GA, LakeHarness.REQUEST_ID), Map.of());
            assertEquals(
                    before / 2 + 1, h.lake().read(Tables.LEADS, account).count(), "each lead once, and the new one");
            List<Row> journal = h.lake()
                    .read(Tables.JOURNAL, account)
                    .where("run_id = '" + r.runId() + "' AND table_name = 'leads'")
                    .collectAsList();
            assertTrue(
                    journal.stream()
                            .anyMatch(j ->
                                    String.valueOf(j.<String>getAs("details")).contains("duplicate rows")),
                    "the journal says the leads were repaired: " + journal);
            assertTrue(h.lastOutput.contains("duplicate rows"), h.lastOutput);
        }
    }

    /** Lake-shaped rows with keys 1..n; every other column a plain value of its type. */
    static Dataset<Row> rows(SparkSession spark, LakeTable table, long account, int n) {
        List<Row> out = new ArrayList<>();
        for (long id = 1; id <= n; id++) {
            List<Object> values = new ArrayList<>();
            for (StructField f : table.schema().fields()) {
                values.add(
                        f.name().equals("account_id")
                                ? (Object) account
                                : f.dataType().equals(DataTypes.LongType)
                                        ? (Object) id
                                        : f.dataType().equals(DataTypes.StringType)
                                                ? "v" + id
                                                : f.dataType().equals(DataTypes.TimestampType)
                                                        ? new Timestamp(1_700_000_000_000L)
                                                        : f.dataType().equals(DataTypes.BooleanType)
                                                                ? (Object) false
                                                                : null);
            }
            out.add(RowFactory.create(values.toArray()));
        }
        return spark.createDataFrame(out, table.schema());
    }
}
