package io.amocrmetl.source;

import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.util.Arrays;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's side of planning, on the driver, once (Spark may ask twice): what Spark tells (its
 * parallelism, local or not, speculation) goes with the {@link PlanningContext} into
 * {@link ReadPlanner}, and its plan comes back as partitions, each with a connection carrying its
 * whole share of the rate budget.
 */
final class AmoBatch implements Batch {
    private static final Logger LOG = LoggerFactory.getLogger(AmoBatch.class);

    private final ReadConf conf;
    private final EntitySpec spec;
    private final StructType required;
    private final Pushdown pushdown;
    private InputPartition[] partitions;

    AmoBatch(ReadConf conf, StructType required, Pushdown pushdown) {
        this.conf = conf;
        this.spec = conf.spec();
        this.required = required;
        this.pushdown = pushdown;
    }

    @Override
    public synchronized InputPartition[] planInputPartitions() {
        if (partitions != null) {
            return partitions;
        }
        SparkContext sc = SparkContext.getOrCreate();
        if (sc.getConf().getBoolean("spark.speculation", false)) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "spark.speculation is on: amocrm reads refuse it, since a "
                            + "speculative copy of a task would send its requests twice against the account's rate limit "
                            + "(docs/architecture.md). Set spark.speculation=false.");
        }
        PlanningContext ctx = PlanningContext.open(conf);
        ClientSettings settings = ctx.settings();
        int parallelism = Math.max(1, sc.defaultParallelism());
        int budget = ReadPlanner.budget(settings.unlimited(), settings.requestsPerSecond(), sc.isLocal(), parallelism);
        ReadColumns columns = ReadColumns.of(spec, required);
        ReadPlanner.Plan plan = ReadPlanner.plan(
                spec, pushdown, ctx.account(), columns.with(), ctx.window(), budget, parallelism, conf.partitions());
        Connection connection = Connection.of(settings, ctx.token(), 1);
        BoundReadings bounds = BoundReadings.of(settings.baseUrl())
                .learn(conf.fromInclusive(), conf.toInclusive())
                .learnEventsPage(conf.eventsPageSize());
        partitions = new InputPartition[plan.partitions().size()];
        for (int i = 0; i < partitions.length; i++) {
            partitions[i] = new AmoPartition(
                    spec.name(),
                    columns.internal(),
                    columns.wanted().size(),
                    plan.partitions().get(i),
                    connection.withShare(plan.shares()[i]),
                    ctx.account().accountId(),
                    bounds.fromInclusive,
                    bounds.toInclusive,
                    columns.withPid(),
                    bounds.eventsPageSize);
        }
        LOG.debug(
                "amocrm {}: {} tasks in {} partitions (shares {} of {} rps); pushed: {}",
                spec.name(),
                plan.tasks().size(),
                partitions.length,
                Arrays.toString(plan.shares()),
                settings.unlimited() ? "unlimited" : settings.requestsPerSecond(),
                pushdown.described);
        return partitions;
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return new AmoReaderFactory();
    }
}
