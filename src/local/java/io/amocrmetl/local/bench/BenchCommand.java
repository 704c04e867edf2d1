package io.amocrmetl.local.bench;

import picocli.CommandLine.Command;

/** {@code bench}: benchmarks that run against the embedded sandbox (local launcher only). */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = {ClientRateBench.class, ReaderBench.class, IngestBench.class, RunCostBench.class},
        description = "Benchmarks against the embedded sandbox; figures go to stdout.")
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
