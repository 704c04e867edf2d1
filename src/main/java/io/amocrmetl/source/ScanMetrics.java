package io.amocrmetl.source;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The reader's metrics of an executed Dataset (requests, rows, drift), summed over its amocrm
 * scans: what the ingest job writes to the journal. Read after the Dataset ran.
 */
public final class ScanMetrics {
    private final Map<String, Long> values;

    private ScanMetrics(Map<String, Long> values) {
        this.values = values;
    }

    public static ScanMetrics of(Dataset<?> df) {
        Map<String, Long> out = new HashMap<>();
        ArrayDeque<SparkPlan> todo =
                new ArrayDeque<>(List.of(df.queryExecution().executedPlan()));
        while (!todo.isEmpty()) {
            SparkPlan p = todo.pop();
            if (p instanceof AdaptiveSparkPlanExec a) {
                todo.push(a.executedPlan());
            }
            CollectionConverters.asJava(p.children()).forEach(todo::push);
            for (Map.Entry<String, SQLMetric> e :
                    CollectionConverters.asJava(p.metrics()).entrySet()) {
                if (e.getKey().startsWith("amocrm")) {
                    out.merge(e.getKey(), e.getValue().value(), Long::sum);
                }
            }
        }
        return new ScanMetrics(out);
    }

    private long get(String name) {
        return values.getOrDefault(name, 0L);
    }

    public long requests() {
        return get(ReadMetrics.REQUESTS);
    }

    public long rows() {
        return get(ReadMetrics.ROWS);
    }

    public long retries() {
        return get(ReadMetrics.RETRIES);
    }

    public long tooManyRequests() {
        return get(ReadMetrics.TOO_MANY);
    }

    public long limiterWaitMs() {
        return get(ReadMetrics.LIMITER_WAIT_MS);
    }

    public long drift() {
        return get(ReadMetrics.NEW_FIELDS) + get(ReadMetrics.ODD_VALUES) + get(ReadMetrics.UNKNOWN_FIELD_TYPES);
    }
}
