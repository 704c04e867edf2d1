package io.amocrmetl.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.testing.LakeTemplate;
import io.amocrmetl.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reference table's refresh (docs/lakehouse.md) for one account: changed rows updated,
 * new ones inserted, vanished ones flagged and brought back when they return, and another
 * account's rows never touched (its MERGE names the account and reads only its partition).
 */
class LakeWritesIT {
    static final long A = 1;
    static final long B = 2;
    static final long T1 = 1_700_000_000_000_000L;
    static final long T2 = T1 + 60_000_000L;

    @TempDir
    Path dir;

    @Test
    void aRefreshFlagsWhatVanishedAndLeavesOtherAccountsAlone() {
        SparkSession spark = SparkTestSession.get();
        LakeTemplate.copyTo(dir);
        Lake lake = Lake.open(spark, dir.toString());
        LakeTable users = Tables.get("users");
        List<String> content = List.of("id", "name");
        assertTrue(LakeWrites.refresh(
                lake, users, A, rows(spark, users, A, T1, Map.of(1L, "Anna", 2L, "Boris")), content, T1));
        assertTrue(LakeWrites.refresh(lake, users, B, rows(spark, users, B, T1, Map.of(1L, "Vera")), content, T1));
        assertFalse(
                LakeWrites.refresh(
                        lake, users, A, rows(spark, users, A, T2, Map.of(1L, "Anna", 2L, "Boris")), content, T2),
                "nothing changed: no commit");

        assertTrue(LakeWrites.refresh(
                lake, users, A, rows(spark, users, A, T2, Map.of(1L, "Anna K.", 3L, "Gleb")), content, T2));
        assertEquals(
                "{1=Anna K./false/" + ts(T2) + ", 2=Boris/true/" + ts(T2) + ", 3=Gleb/false/" + ts(T2) + "}",
                state(lake, A),
                "changed, vanished (flagged, its row kept), new");
        assertEquals(
                ts(T2),
                lake.read("users", A)
                        .where("id = 2")
                        .first()
                        .getAs("deleted_at")
                        .toString());
        assertEquals("{1=Vera/false/" + ts(T1) + "}", state(lake, B), "the other account is untouched");

        assertTrue(LakeWrites.refresh(
                lake,
                users,
                A,
                rows(spark, users, A, T2, Map.of(1L, "Anna K.", 2L, "Boris", 3L, "Gleb")),
                content,
                T2));
        assertEquals(
                "{1=Anna K./false/" + ts(T2) + ", 2=Boris/false/" + ts(T2) + ", 3=Gleb/false/" + ts(T2) + "}",
                state(lake, A),
                "a row that comes back is live again");
        assertEquals("{1=Vera/false/" + ts(T1) + "}", state(lake, B));
    }

    /** id → name/is_deleted/_synced_at of one account's rows. */
    private static String state(Lake lake, long account) {
        Map<Long, String> out = new TreeMap<>();
        for (Row r : lake.read("users", account).collectAsList()) {
            out.put(r.getAs("id"), r.getAs("name") + "/" + r.getAs("is_deleted") + "/" + r.getAs("_synced_at"));
        }
        return out.toString();
    }

    private static String ts(long micros) {
        return new Timestamp(micros / 1000).toString();
    }

    /** Lake-shaped users rows: the given ids and names, live, synced at {@code micros}; other columns null. */
    private static Dataset<Row> rows(
            SparkSession spark, LakeTable t, long account, long micros, Map<Long, String> names) {
        List<Row> out = new ArrayList<>();
        names.forEach((id, name) -> {
            List<Object> v = new ArrayList<>();
            for (StructField f : t.schema().fields()) {
                v.add(
                        switch (f.name()) {
                            case "account_id" -> account;
                            case "id" -> id;
                            case "name" -> name;
                            case "is_deleted" -> false;
                            case "_synced_at" -> new Timestamp(micros / 1000);
                            case "_run_id" -> "run";
                            default -> null;
                        });
            }
            out.add(RowFactory.create(v.toArray()));
        });
        return spark.createDataFrame(out, t.schema());
    }
}
