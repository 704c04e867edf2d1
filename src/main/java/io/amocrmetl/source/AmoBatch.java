package io.amocrmetl.source;

import java.util.Arrays;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.AuthProvider;
import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.catalog.Cursor;
import io.amocrmetl.catalog.EntitySpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans the read on the driver, once (Spark may ask twice): resolves the config, asks the account
 * what it must (id, API filters, lists), takes a fresh access token, and cuts the read into
 * partitions with whole shares of the rate budget ({@link ReadPlanner}).
 */
final class AmoBatch implements Batch {
    private static final Logger LOG = LoggerFactory.getLogger(AmoBatch.class);
    /** A token handed to executors stays valid at least this long (it lives 24 h, reference §1.3). */
    static final Duration TOKEN_MIN_VALIDITY = Duration.ofHours(2);

    private final EntitySpec spec;
    private final Map<String, String> options;
    private final StructType required;
    private final Pushdown pushdown;
    private InputPartition[] partitions;

    AmoBatch(EntitySpec spec, Map<String, String> options, StructType required, Pushdown pushdown) {
        this.spec = spec;
        this.options = options;
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
            throw new EtlException(ExitCode.BAD_CONFIG, "spark.speculation is on: amocrm reads refuse it, since a "
                    + "speculative copy of a task would send its requests twice against the account's rate limit "
                    + "(DESIGN.md \"Rate\"). Set spark.speculation=false.");
        }
        String configFile = options.get(ReadOptions.CONFIG);
        EtlConfig config = EtlConfig.load(configFile == null ? null : Path.of(configFile), ReadOptions.configKeys(options));
        AmoSettings amo = config.amocrm().requireAuth();
        ClientSettings settings = ClientSettings.from(amo);
        AuthProvider auth = AuthProvider.of(amo, Clock.systemUTC());
        AmoClient client = new AmoClient(settings, auth);
        boolean catalogs = spec.perCatalog() || spec.name().equals("custom_fields");
        AccountContext account = AccountContext.resolve(client, options, catalogs);
        String token = auth.accessToken(client.tokenEndpoint(), TOKEN_MIN_VALIDITY);

        int parallelism = Math.max(1, sc.defaultParallelism());
        // In local mode the partitions join this JVM's limiter; on a cluster the driver keeps one
        // request per second for itself (planning, token refresh) beside the executors' shares.
        int budget = settings.unlimited() ? parallelism
                : sc.isLocal() ? settings.requestsPerSecond() : Math.max(1, settings.requestsPerSecond() - 1);
        long window = ReadOptions.duration(options, ReadOptions.WINDOW, config.ingest().window()).getSeconds();
        boolean pid = required.getFieldIndex(ReadOptions.PID_COLUMN).isDefined();
        StructType wanted = pid ? new StructType(Arrays.stream(required.fields())
                .filter(f -> !f.name().equals(ReadOptions.PID_COLUMN)).toArray(StructField[]::new)) : required;
        StructType internal = internalSchema(wanted);
        List<String> with = new ArrayList<>(spec.withFor(List.of(wanted.fieldNames())));
        ReadPlanner.Plan plan = ReadPlanner.plan(spec, pushdown, account, with, window, budget, parallelism,
                ReadOptions.positiveInt(options, ReadOptions.PARTITIONS));
        Connection connection = Connection.of(settings, token, 1);
        BoundReadings bounds = BoundReadings.of(settings.baseUrl()).learn(bool(options.get(ReadOptions.FROM_INCLUSIVE)),
                bool(options.get(ReadOptions.TO_INCLUSIVE)))
                .learnEventsPage(ReadOptions.positiveInt(options, ReadOptions.EVENTS_PAGE_SIZE));
        partitions = new InputPartition[plan.partitions().size()];
        for (int i = 0; i < partitions.length; i++) {
            partitions[i] = new AmoPartition(spec.name(), internal, wanted.size(), plan.partitions().get(i),
                    connection.withShare(plan.shares()[i]), account.accountId(), bounds.fromInclusive, bounds.toInclusive, pid,
                    bounds.eventsPageSize);
        }
        LOG.debug("amocrm {}: {} tasks in {} partitions (shares {} of {} rps); pushed: {}", spec.name(),
                plan.tasks().size(), partitions.length, Arrays.toString(plan.shares()),
                settings.unlimited() ? "unlimited" : settings.requestsPerSecond(), pushdown.described);
        return partitions;
    }

    /** The required columns, then the key, cursor and drift columns the reader needs and Spark did not ask for. */
    private StructType internalSchema(StructType wanted) {
        List<StructField> fields = new ArrayList<>(List.of(wanted.fields()));
        List<String> need = new ArrayList<>(spec.key());
        if (spec.cursor() != Cursor.NONE) {
            need.add(spec.cursor().field);
        }
        need.add(EntitySpec.DRIFT); // counted for the metrics even when not selected
        StructType full = spec.schema();
        for (String n : need) {
            if (fields.stream().noneMatch(f -> f.name().equals(n))) {
                fields.add(full.apply(n));
            }
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    private static Boolean bool(String v) {
        return v == null || v.isBlank() ? null : Boolean.valueOf(v.trim());
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return new AmoReaderFactory();
    }
}
