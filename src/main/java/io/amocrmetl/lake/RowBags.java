package io.amocrmetl.lake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Spark's {@code exceptAll} on rows already collected to the driver, for tables small enough to hold there. */
final class RowBags {
    private RowBags() {}

    /**
     * The rows of {@code a}, projected to {@code columns}, that {@code b} (projected the same way)
     * does not hold, counting duplicates as {@code EXCEPT ALL} does. Nulls equal nulls, as in Spark's
     * set operations.
     */
    static List<Row> exceptAll(List<Row> a, List<Row> b, int[] columns) {
        Map<Row, Integer> left = new HashMap<>();
        for (Row r : b) {
            left.merge(project(r, columns), 1, Integer::sum);
        }
        List<Row> out = new ArrayList<>();
        for (Row r : a) {
            Row p = project(r, columns);
            Integer n = left.get(p);
            if (n == null) {
                out.add(p);
            } else if (n == 1) {
                left.remove(p);
            } else {
                left.put(p, n - 1);
            }
        }
        return out;
    }

    private static Row project(Row r, int[] columns) {
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = r.get(columns[i]);
        }
        return RowFactory.create(values);
    }
}
