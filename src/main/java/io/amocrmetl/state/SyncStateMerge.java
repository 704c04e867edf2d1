package io.amocrmetl.state;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The MERGE behind {@link SyncState#flush}: each source row carries which facets its job changed,
 * and a matched row takes only those columns, each combined with the row as it is now (not as the
 * job read it), so two jobs that interleave keep each other's work (docs/lakehouse.md, "Overlapping
 * runs"):
 *
 * <ul>
 *   <li>advance (ingest): the later watermark wins; coverage_start as the ingest computed it, but
 *       never below a cut-off another job recorded meanwhile;
 *   <li>cut-off (retention): the new cut-off, and coverage_start moved up to it (never down);
 *   <li>cursor (reconcile), probes (doctor): the new value.
 * </ul>
 */
final class SyncStateMerge {
    static final String ADVANCE = "_set_advance";
    static final String CUTOFF = "_set_cutoff";
    static final String CURSOR = "_set_cursor";
    static final String PROBES = "_set_probes";

    private SyncStateMerge() {}

    static void write(Lake lake, long accountId, List<Row> rows) {
        StructType schema = Tables.get(Tables.SYNC_STATE)
                .schema()
                .add(ADVANCE, DataTypes.BooleanType, false)
                .add(CUTOFF, DataTypes.BooleanType, false)
                .add(CURSOR, DataTypes.BooleanType, false)
                .add(PROBES, DataTypes.BooleanType, false);
        var src = lake.spark().createDataFrame(rows, schema);
        String cutoff = "CASE WHEN s." + CUTOFF + " THEN s.retention_cutoff ELSE t.retention_cutoff END";
        String coverage = "CASE WHEN s." + ADVANCE + " THEN s.coverage_start ELSE t.coverage_start END";
        Map<String, String> set = Map.of(
                "watermark",
                "CASE WHEN s." + ADVANCE
                        + " AND (t.watermark IS NULL OR s.watermark > t.watermark) THEN s.watermark ELSE t.watermark END",
                "coverage_start",
                "CASE WHEN " + coverage + " IS NOT NULL AND " + cutoff + " IS NOT NULL AND " + coverage + " < " + cutoff
                        + " THEN " + cutoff + " ELSE " + coverage + " END",
                "retention_cutoff",
                cutoff,
                "reconcile_cursor",
                "CASE WHEN s." + CURSOR + " THEN s.reconcile_cursor ELSE t.reconcile_cursor END",
                "probes",
                "CASE WHEN s." + PROBES + " THEN s.probes ELSE t.probes END",
                "updated_at",
                "s.updated_at",
                "run_id",
                "s.run_id");
        Map<String, String> insert = new LinkedHashMap<>();
        for (String c : Tables.get(Tables.SYNC_STATE).schema().fieldNames()) {
            insert.put(c, "s." + c);
        }
        lake.delta(Tables.SYNC_STATE)
                .as("t")
                .merge(
                        src.as("s"),
                        "t.account_id = " + accountId
                                + " AND t.account_id = s.account_id AND t.table_name = s.table_name")
                .whenMatched()
                .updateExpr(set)
                .whenNotMatched()
                .insertExpr(insert)
                .execute();
    }
}
