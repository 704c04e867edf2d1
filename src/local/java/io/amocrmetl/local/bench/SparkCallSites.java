package io.amocrmetl.local.bench;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;

/**
 * Counts Spark jobs and SQL executions, and sums each execution's time under the first frame of
 * this product in its call site (else its description: Delta's own nested executions), so a
 * benchmark shows where a run's fixed cost goes.
 */
final class SparkCallSites extends SparkListener {
    private final AtomicLong jobs = new AtomicLong();
    private final Map<Long, Object[]> open = new ConcurrentHashMap<>();
    private final Map<String, long[]> bySite = new ConcurrentHashMap<>();

    static SparkCallSites listenTo(SparkSession spark) {
        SparkCallSites s = new SparkCallSites();
        spark.sparkContext().addSparkListener(s);
        return s;
    }

    void reset() {
        jobs.set(0);
        bySite.clear();
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        jobs.incrementAndGet();
    }

    @Override
    public void onOtherEvent(SparkListenerEvent event) {
        if (event instanceof SparkListenerSQLExecutionStart s) {
            open.put(s.executionId(), new Object[] {s.time(), site(s)});
        } else if (event instanceof SparkListenerSQLExecutionEnd e) {
            Object[] s = open.remove(e.executionId());
            if (s != null) {
                long[] v = bySite.computeIfAbsent((String) s[1], k -> new long[2]);
                synchronized (v) {
                    v[0]++;
                    v[1] += e.time() - (Long) s[0];
                }
            }
        }
    }

    private static String site(SparkListenerSQLExecutionStart s) {
        for (String line : s.details().split("\n")) {
            if (line.contains("io.amocrmetl.") && !line.contains(".bench.")) {
                return line.strip();
            }
        }
        String d = s.description().replace('\n', ' ');
        return "(Delta) " + d.substring(0, Math.min(70, d.length()));
    }

    /** Jobs, executions, and the {@code top} call sites by summed time (executions overlap). */
    void print(PrintStream out, int top) {
        long executions = bySite.values().stream().mapToLong(v -> v[0]).sum();
        out.printf("   %d Spark jobs, %d SQL executions; by summed time:%n", jobs.get(), executions);
        bySite.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(top)
                .forEach(e ->
                        out.printf("   %7.1f s %4d x  %s%n", e.getValue()[1] / 1000.0, e.getValue()[0], e.getKey()));
    }
}
