package io.amocrmetl.marts;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Every table of the registry as a temporary view by its name, the names the mart SQL reads. A
 * table the lake does not have (a table of a later feature, such as _reconciliation before
 * reconcile ran in an older lake, or a table never enabled) becomes an empty view with the
 * registry's columns, so every mart still runs and shows nothing for it rather than failing.
 */
final class LakeViews {
    private LakeViews() {}

    /** Registers the views; returns the tables the lake lacks (registered empty). */
    static List<String> register(Lake lake) {
        SparkSession spark = lake.spark();
        List<String> missing = new ArrayList<>();
        for (LakeTable t : Tables.all()) {
            if (lake.exists(t)) {
                lake.read(t.name()).createOrReplaceTempView(t.name());
            } else {
                spark.createDataFrame(List.<Row>of(), t.schema()).createOrReplaceTempView(t.name());
                missing.add(t.name());
            }
        }
        return missing;
    }
}
