package io.amocrmetl.cluster;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.testing.Canonical;
import io.amocrmetl.testing.ExpectedLake;
import io.amocrmetl.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;

/**
 * Compares a lake that a separate process ingested with the sandbox's ground truth, table by
 * table (what ingest/LakeHarness#assertLake does for in-process runs): every table the config
 * loads, their child tables, the reference tables and the status history.
 */
final class LakeCheck {
    static final String GA = "GA Client ID";
    static final String REQUEST_ID = "ID заявки";

    private LakeCheck() {}

    static void assertLake(Sandbox sandbox, EtlConfig config) {
        ExpectedLake expected = new ExpectedLake(sandbox.groundTruth(), GA, REQUEST_ID);
        long account = sandbox.groundTruth().account().id();
        List<String> entities = new ArrayList<>();
        config.tables().forEach((name, t) -> {
            if (t.enabled()) {
                entities.add(name);
            }
        });
        Lake lake = Lake.readOnly(SparkTestSession.get(), config.lakePath());
        List<String> failures = new ArrayList<>();
        for (String name : tables(entities)) {
            Predicate<Map<String, Object>> out = r -> false;
            if (name.equals("custom_fields")
                    && !entities.contains("catalogs")
                    && !entities.contains("catalog_elements")) {
                out = r -> "catalogs".equals(r.get("entity_type")); // without lists, their fields are not read
            }
            List<Map<String, Object>> want =
                    expected.table(name).stream().filter(out.negate()).toList();
            if (name.equals("events")) {
                want = want.stream()
                        .filter(r -> "lead_status_changed".equals(r.get("type")))
                        .toList();
            }
            List<Map<String, Object>> have = Canonical.rows(
                            lake.read(name, account).collectAsList())
                    .stream()
                    .filter(out.negate())
                    .toList();
            try {
                Canonical.assertSameRows(name, Tables.get(name).key(), want, have, Set.of());
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " tables differ:\n" + String.join("\n", failures));
        }
    }

    /** The lake's {@code _journal} rows of the account: table name and executor_pids, for the runs so far. */
    static List<Row> journal(Sandbox sandbox, EtlConfig config) {
        return Lake.readOnly(SparkTestSession.get(), config.lakePath())
                .read(Tables.JOURNAL, sandbox.groundTruth().account().id())
                .select("run_id", "job", "table_name", "status", "executor_pids")
                .collectAsList();
    }

    private static List<String> tables(List<String> entities) {
        List<String> out = new ArrayList<>(List.of(
                "account",
                "users",
                "pipelines",
                "statuses",
                "loss_reasons",
                "tags",
                "custom_fields",
                Tables.LEAD_STATUS_HISTORY));
        for (String e : entities) {
            out.add(e);
            if (!e.equals("catalogs")) {
                Tables.childrenOf(e).stream().map(LakeTable::name).forEach(out::add);
            }
        }
        return out;
    }
}
