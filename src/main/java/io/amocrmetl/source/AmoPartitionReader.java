package io.amocrmetl.source;

import io.amocrmetl.api.AmoClient;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.ItemReader;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a partition's tasks in turn, a page at a time, as Spark pulls rows. The HTTP client opens
 * lazily on the executor with the partition's share of the rate budget.
 */
final class AmoPartitionReader implements PartitionReader<InternalRow> {
    private static final Logger LOG = LoggerFactory.getLogger(AmoPartitionReader.class);
    private static final Long PID = ProcessHandle.current().pid();
    private final AmoPartition partition;
    private final EntitySpec spec;
    private final ReadStats stats = new ReadStats();
    private AmoClient client;
    private ItemReader items;
    private int taskIndex = -1;
    private WindowReader window;
    private Iterator<InternalRow> page = Collections.emptyIterator();
    private InternalRow current;

    AmoPartitionReader(AmoPartition partition) {
        this.partition = partition;
        this.spec = Entities.get(partition.entity());
    }

    @Override
    public boolean next() {
        while (!page.hasNext()) {
            if (window == null && !nextTask()) {
                return false;
            }
            List<InternalRow> rows = window.nextPage();
            if (rows == null) {
                window = null;
            } else {
                page = rows.iterator();
            }
        }
        InternalRow row = page.next();
        if (partition.withPid()) {
            Object[] v = Arrays.copyOf(((GenericInternalRow) row).values(), partition.width() + 1);
            v[partition.width()] = PID;
            current = new GenericInternalRow(v);
        } else {
            current = partition.width() == partition.internal().size()
                    ? row
                    : new GenericInternalRow(Arrays.copyOf(((GenericInternalRow) row).values(), partition.width()));
        }
        return true;
    }

    private boolean nextTask() {
        if (++taskIndex >= partition.tasks().size()) {
            return false;
        }
        if (client == null) {
            client = partition.connection().client();
            TaskContext attempt = TaskContext.get();
            RetriedAttempt.check(attempt == null ? 0 : attempt.attemptNumber(), client.blockState(), Instant.now());
            items = spec.reader(partition.internal());
        }
        ReadTask task = partition.tasks().get(taskIndex);
        LOG.debug("amocrm {}: reading {}", spec.name(), task.describe());
        window = new WindowReader(
                client,
                spec,
                items,
                partition.internal(),
                task,
                context(task),
                stats,
                BoundReadings.of(partition.connection().baseUrl())
                        .learn(partition.fromInclusive(), partition.toInclusive())
                        .learnEventsPage(partition.eventsPageSize()));
        return true;
    }

    /** Context column values, typed: ids as BIGINT, the rest as text. */
    private Map<String, Object> context(ReadTask task) {
        Map<String, Object> ctx = new HashMap<>();
        ctx.put(Columns.ACCOUNT_ID, partition.accountId());
        task.context().forEach((k, v) -> ctx.put(k, k.endsWith("_id") ? (Object) Long.parseLong(v) : v));
        return ctx;
    }

    @Override
    public InternalRow get() {
        return current;
    }

    @Override
    public CustomTaskMetric[] currentMetricsValues() {
        return new CustomTaskMetric[] {
            ReadMetrics.task(
                    ReadMetrics.REQUESTS, client == null ? 0 : client.metrics().requests()),
            ReadMetrics.task(ReadMetrics.ROWS, stats.rows),
            ReadMetrics.task(ReadMetrics.NEW_FIELDS, stats.newFields),
            ReadMetrics.task(ReadMetrics.ODD_VALUES, stats.oddValues),
            ReadMetrics.task(ReadMetrics.UNKNOWN_FIELD_TYPES, stats.unknownFieldTypes),
            ReadMetrics.task(ReadMetrics.REREADS, stats.rereads),
            ReadMetrics.task(
                    ReadMetrics.RETRIES, client == null ? 0 : client.metrics().retries()),
            ReadMetrics.task(
                    ReadMetrics.TOO_MANY, client == null ? 0 : client.metrics().tooManyRequests()),
            ReadMetrics.task(ReadMetrics.LIMITER_WAIT_MS, client == null ? 0 : client.limiterWaitMillis()),
        };
    }

    @Override
    public void close() {
        if (client != null) {
            LOG.debug("amocrm {}: partition done: {}; {}", spec.name(), stats, client.metrics());
        }
    }
}
