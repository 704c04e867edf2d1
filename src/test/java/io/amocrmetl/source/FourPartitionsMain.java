package io.amocrmetl.source;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;

/**
 * The child JVM of {@link RateSharesSlowIT}: a {@code local[4]} SparkSession reads one entity
 * through {@code format("amocrm")} with the options given as {@code key=value} arguments, and
 * prints the rows and the most tasks that ran at once.
 */
public final class FourPartitionsMain {
    private FourPartitionsMain() {}

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder()
                .master("local[4]")
                .appName("four-partitions")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart e) {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                running.decrementAndGet();
            }
        });
        var reader = spark.read().format("amocrm");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            reader = reader.option(kv[0], kv[1]);
        }
        long rows = reader.load().count();
        // The listener bus is asynchronous: stopping drains it before the counts are printed.
        spark.stop();
        System.out.println("ROWS " + rows);
        System.out.println("MOST_TASKS_AT_ONCE " + most.get());
    }
}
