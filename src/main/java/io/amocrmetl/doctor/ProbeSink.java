package io.amocrmetl.doctor;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.state.AccountProbes;

/** Where {@code doctor --probe} records its findings: the lake's {@code _sync_state} ({@link LakeProbeSink}). */
@FunctionalInterface
public interface ProbeSink {
    /** Records the account's probes; returns where, for the report. */
    String record(EtlConfig config, long accountId, AccountProbes probes);
}
