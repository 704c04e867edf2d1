package io.amocrmetl.doctor;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.state.AccountProbes;
import io.amocrmetl.state.SyncState;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Records probe findings in the account's {@link AccountProbes#KEY} row of {@code _sync_state}
 * (its {@code probes} column), one MERGE that names the account, so it never touches another
 * account's rows; the next ingest reads them as hints. Spark starts only here.
 */
public final class LakeProbeSink implements ProbeSink {
    private final Supplier<SparkSession> spark;

    public LakeProbeSink(Supplier<SparkSession> spark) {
        this.spark = spark;
    }

    @Override
    public String record(EtlConfig config, long accountId, AccountProbes probes) {
        Lake lake = Lake.open(spark.get(), config.lakePath());
        SyncState state = new SyncState(lake, accountId);
        state.put(state.get(AccountProbes.KEY).withProbes(probes.toJson()), "doctor-" + UUID.randomUUID());
        return "_sync_state of " + lake.root() + " (account " + accountId + ")";
    }
}
