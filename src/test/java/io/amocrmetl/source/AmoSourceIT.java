package io.amocrmetl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Drift;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.testing.Canonical;
import io.amocrmetl.testing.ExpectedRows;
import io.amocrmetl.testing.LogCapture;
import io.amocrmetl.testing.SandboxConfig;
import io.amocrmetl.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code format("amocrm")} end to end on {@code local[2]} against the sandbox over real HTTP
 * (docs/spark-reader.md). Expected rows come from ground truth through
 * {@link ExpectedRows}, never through the product's converter.
 */
// Alone in the IT JVM: it captures every logger at DEBUG (LogCapture) (docs/testing.md, "CI budget").
@Isolated
class AmoSourceIT {
    @TempDir
    static Path dir;

    static Sandbox sandbox;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(
                SandboxSettings.defaults().withSeed(42).withLeads(300).withToken("llt-reader-" + System.nanoTime()));
        spark = SparkTestSession.get();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @AfterEach
    void reset() {
        sandbox.drift().clear();
        sandbox.faults().clear();
    }

    static Dataset<Row> read(String entity, Map<String, String> extra) {
        return spark.read()
                .format("amocrm")
                .option("entity", entity)
                .options(SandboxConfig.fast(sandbox, dir))
                .options(extra)
                .load();
    }

    static Stream<String> entities() {
        return Entities.all().stream().map(EntitySpec::name);
    }

    /** every entity's rows equal ground truth, field by field. */
    @ParameterizedTest
    @MethodSource("entities")
    void everyEntityEqualsGroundTruth(String entity) {
        List<Row> rows = read(entity, Map.of()).collectAsList();
        List<Map<String, Object>> expected = new ExpectedRows(sandbox.groundTruth()).of(entity);
        assertFalse(expected.isEmpty(), "the seed has " + entity);
        Set<String> unordered = entity.equals("contacts") || entity.equals("companies")
                ? Set.of("leads", "contacts", "customers")
                : Set.of();
        Canonical.assertSameRows(entity, Entities.get(entity).key(), expected, Canonical.rows(rows), unordered);
    }

    /**
     * The types the issue names, as Spark sees them through {@code format("amocrm")} (the row
     * comparison above turns timestamps into seconds and numbers into longs, so it cannot tell):
     * UTC TIMESTAMP times, DECIMAL(18,2) money, BIGINT ids (events: STRING; unsorted: uid), the
     * custom_fields type, and JSON text for params and event values.
     */
    @ParameterizedTest
    @MethodSource("entities")
    void everyEntityHasTheContractTypes(String entity) {
        StructType schema = read(entity, Map.of()).schema();
        DataType money = DataTypes.createDecimalType(18, 2);
        DataType customFields = StructType.fromDDL("custom_fields ARRAY<STRUCT<field_id: BIGINT, field_name: STRING, "
                        + "field_code: STRING, field_type: STRING, values: ARRAY<STRUCT<value: STRING, enum_id: BIGINT, "
                        + "enum_code: STRING>>>>")
                .apply("custom_fields")
                .dataType();
        for (StructField f : schema.fields()) {
            String n = f.name();
            String where = entity + "." + n;
            if (n.endsWith("_at") || n.equals("complete_till") || n.equals("next_date")) {
                assertEquals(DataTypes.TimestampType, f.dataType(), where);
            } else if (List.of("price", "next_price", "ltv", "average_check").contains(n)) {
                assertEquals(money, f.dataType(), where);
            } else if (n.equals("id")) {
                assertEquals(entity.equals("events") ? DataTypes.StringType : DataTypes.LongType, f.dataType(), where);
            } else if (n.equals("account_id")
                    || n.equals("entity_id")
                    || n.equals("pipeline_id")
                    || n.equals("status_id")
                    || n.equals("responsible_user_id")) {
                assertEquals(DataTypes.LongType, f.dataType(), where);
            } else if (List.of("params", "value_before", "value_after", "metadata")
                    .contains(n)) {
                assertEquals(DataTypes.StringType, f.dataType(), where + " is JSON text");
            } else if (n.equals("custom_fields") && !entity.equals("custom_fields")) {
                assertEquals(customFields.catalogString(), f.dataType().catalogString(), where);
            }
        }
        if (entity.equals("unsorted")) {
            assertEquals(DataTypes.StringType, schema.apply("uid").dataType(), "unsorted is keyed by uid");
        } else if (!entity.equals("account")) {
            assertTrue(List.of(schema.fieldNames()).contains("account_id"), entity + " carries account_id");
        }
    }

    /** The seed's edge cases come through: ids past 2^32, null custom fields, quotes, emoji, newlines. */
    @Test
    void edgeCasesSurviveTheTrip() {
        List<Row> leads = read("leads", Map.of()).where("id > 4294967296").collectAsList();
        assertFalse(leads.isEmpty(), "a lead id above 2^32");
        assertTrue(read("leads", Map.of()).where("custom_fields IS NULL").count() > 0, "custom_fields_values: null");
        assertTrue(
                read("contacts", Map.of())
                                .where("name LIKE '%\"%' OR name LIKE '%\n%'")
                                .count()
                        > 0,
                "names with quotes or newlines");
    }

    /** a new field, an odd value and an unknown custom-field type load, kept raw and counted. */
    @Test
    void driftLoadsKeptRawAndCounted() {
        sandbox.drift()
                .extraField("leads", "brand_new_field", "{\"x\":[1,2]}")
                .extraField("leads", "score", "\"many\"")
                .fieldType(1_000_001L, "hologram");
        Dataset<Row> df = read("leads", Map.of());
        List<Row> rows = df.collectAsList();
        assertEquals(sandbox.groundTruth().leads().live().size(), rows.size(), "every lead loads");
        int hologram = 0;
        for (Row r : rows) {
            List<Row> drift = r.getList(r.fieldIndex("_drift"));
            assertNotNull(drift, "every lead drifted");
            assertTrue(
                    drift.stream()
                            .anyMatch(d -> d.getString(0).equals(Drift.NEW_FIELD)
                                    && d.getString(1).equals("brand_new_field")
                                    && d.getString(2).equals("{\"x\":[1,2]}")),
                    "new field kept raw");
            assertTrue(
                    drift.stream()
                            .anyMatch(d -> d.getString(0).equals(Drift.ODD_VALUE)
                                    && d.getString(1).equals("score")
                                    && d.getString(2).equals("\"many\"")),
                    "odd value kept raw");
            assertTrue(r.isNullAt(r.fieldIndex("score")), "the odd value's typed column is null");
            List<Row> fields =
                    r.isNullAt(r.fieldIndex("custom_fields")) ? List.of() : r.getList(r.fieldIndex("custom_fields"));
            for (Row f : fields) {
                if (f.getLong(0) == 1_000_001L) {
                    hologram++;
                    assertEquals("hologram", f.getString(3));
                    Row v = (Row) f.getList(4).get(0);
                    assertNotNull(v.getString(0), "the value of an unknown type is kept");
                    assertTrue(v.isNullAt(1) && v.isNullAt(2), "no enum for it");
                    assertTrue(drift.stream()
                            .anyMatch(d -> d.getString(0).equals(Drift.UNKNOWN_FIELD_TYPE)
                                    && d.getString(2).equals("hologram")));
                }
            }
        }
        assertTrue(hologram > 0, "the seed fills field 1000001");
        // Counted: the scan's metrics.
        Map<String, Long> m = metrics(df);
        assertEquals(rows.size(), m.get(ReadMetrics.NEW_FIELDS));
        assertEquals(rows.size(), m.get(ReadMetrics.ODD_VALUES));
        assertEquals(hologram, m.get(ReadMetrics.UNKNOWN_FIELD_TYPES));
    }

    /** a page that stays unparseable fails the query, naming the entity and the page. */
    @Test
    void unparseablePageFailsNamingEntityAndPage() {
        for (int n = 2; n <= 4; n++) {
            sandbox.faults().malformedJson("/api/v4/contacts", n);
        }
        Exception e = assertThrows(
                Exception.class,
                () -> read("contacts", Map.of("amocrm.http.max-attempts", "3")).count());
        String text = chain(e);
        assertTrue(
                text.contains("/api/v4/contacts") && text.contains("(page 2)") && text.contains("not valid JSON"),
                text);
    }

    /** neither EXPLAIN nor the logs nor a partition's toString holds the token. */
    @Test
    void noTokenInExplainLogsOrPartitions() {
        String token = sandbox.settings().token();
        try (LogCapture logs = new LogCapture()) {
            Dataset<Row> df =
                    read("leads", Map.of()).where("updated_at >= timestamp'2000-01-01 00:00:00' AND id IN (1, 2)");
            df.count();
            String explain = df.queryExecution().explainString(org.apache.spark.sql.execution.ExtendedMode$.MODULE$);
            assertTrue(explain.contains("PushedToApi"), explain);
            assertFalse(explain.contains(token), "token in EXPLAIN");
            for (Object p : plannedPartitions(df)) {
                assertFalse(p.toString().contains(token), "token in an InputPartition's toString");
            }
            assertTrue(logs.text().contains("amocrm leads"), "the capture saw the reader's (debug) log lines");
            assertFalse(logs.text().contains(token), "token in the logs");
        }
    }

    static Object[] plannedPartitions(Dataset<Row> df) {
        List<Object> out = new java.util.ArrayList<>();
        for (SparkPlan p : nodes(df.queryExecution().executedPlan())) {
            if (p instanceof org.apache.spark.sql.execution.datasources.v2.BatchScanExec scan) {
                out.addAll(CollectionConverters.asJava(scan.inputPartitions()));
            }
        }
        return out.toArray();
    }

    /** The scan node's custom metrics by name. */
    static Map<String, Long> metrics(Dataset<Row> df) {
        Map<String, Long> out = new java.util.HashMap<>();
        for (SparkPlan p : nodes(df.queryExecution().executedPlan())) {
            for (Map.Entry<String, SQLMetric> e :
                    CollectionConverters.asJava(p.metrics()).entrySet()) {
                if (e.getKey().startsWith("amocrm")) {
                    out.merge(e.getKey(), e.getValue().value(), Long::sum);
                }
            }
        }
        return out;
    }

    static List<SparkPlan> nodes(SparkPlan root) {
        List<SparkPlan> out = new java.util.ArrayList<>();
        java.util.ArrayDeque<SparkPlan> todo = new java.util.ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            SparkPlan p = todo.pop();
            out.add(p);
            if (p instanceof AdaptiveSparkPlanExec a) {
                todo.push(a.executedPlan());
            }
            CollectionConverters.asJava(p.children()).forEach(todo::push);
        }
        return out;
    }

    static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void unknownEntityNamesTheChoices() {
        Exception e =
                assertThrows(Exception.class, () -> read("deals", Map.of()).count());
        assertTrue(chain(e).contains("unknown entity 'deals'") && chain(e).contains("leads"), chain(e));
    }
}
