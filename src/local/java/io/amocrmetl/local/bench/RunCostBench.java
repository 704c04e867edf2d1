package io.amocrmetl.local.bench;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.ingest.IngestJob;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.SparkSessions;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.model.Lead;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench run-cost} (docs/benchmarks.md): what one ingest run costs beside its requests, in one
 * warm JVM against the in-process sandbox with no rate limit: a first run, a run that finds nothing
 * new, and a run with some changed leads. Per run: wall time, Spark jobs, SQL executions and the
 * product's call sites that spent most of them, the fixed cost users pay on every scheduled run.
 */
@Command(
        name = "run-cost",
        mixinStandardHelpOptions = true,
        description = "Fixed cost of ingest runs: first, nothing new, some changes; Spark jobs and call sites per run.")
public final class RunCostBench implements Callable<Integer> {
    @Option(names = "--leads", defaultValue = "500", description = "Leads in the sandbox (default ${DEFAULT-VALUE}).")
    int leads;

    @Option(
            names = "--changed",
            defaultValue = "200",
            description = "Leads renamed before each changed run (default ${DEFAULT-VALUE}).")
    int changed;

    @Option(
            names = "--repeat",
            defaultValue = "2",
            description = "Runs of each kind after the first (default ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("run-cost-bench");
        SparkSession spark = SparkSessions.create("bench");
        spark.sparkContext().setLogLevel("WARN");
        SparkCallSites sites = SparkCallSites.listenTo(spark);
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().withLeads(leads))) {
            sandbox.limits().enabled = false;
            Map<String, String> config = new LinkedHashMap<>();
            config.put("amocrm.base-url", sandbox.baseUrl());
            config.put("amocrm.auth.long-lived-token", sandbox.settings().token());
            config.put(
                    "amocrm.auth.token-store", work.resolve("state/tokens.json").toString());
            config.put("amocrm.rate-limit.host-dir", work.resolve("host").toString());
            config.put("amocrm.rate-limit.unlimited", "true");
            config.put("lake.path", work.resolve("lake").toString());
            config.put("history.initial-days", "400");
            // The sandbox's clock moves only when told: a run reads up to its server time at once.
            config.put("ingest.margin", "0s");
            long t0 = System.nanoTime();
            Lake.open(spark, work.resolve("lake").toString());
            System.out.printf("lake created (38 tables) in %.1f s, before the runs%n", (System.nanoTime() - t0) / 1e9);
            measure(spark, sites, sandbox, config, "first run, " + leads + " leads");
            for (int i = 0; i < repeat; i++) {
                measure(spark, sites, sandbox, config, "nothing new");
            }
            for (int i = 0; i < repeat; i++) {
                // Changed after the last run's server time, so this run's window holds them.
                sandbox.clock().advance(Duration.ofSeconds(2));
                List<Lead> live = sandbox.groundTruth().leads().live();
                for (int k = 0; k < Math.min(changed, live.size()); k++) {
                    sandbox.account().renameLead(live.get(k).id(), "renamed " + i + "." + k);
                }
                measure(spark, sites, sandbox, config, changed + " leads renamed");
            }
        } finally {
            spark.stop();
        }
        return 0;
    }

    private static void measure(
            SparkSession spark, SparkCallSites sites, Sandbox sandbox, Map<String, String> config, String what) {
        sandbox.clock().advance(Duration.ofSeconds(2));
        sites.reset();
        long t0 = System.nanoTime();
        IngestJob.Result r = IngestJob.run(
                spark,
                EtlConfig.load(null, config),
                config,
                new IngestJob.Options(null),
                new PrintStream(OutputStream.nullOutputStream()));
        double s = (System.nanoTime() - t0) / 1e9;
        long rows = r.entries().stream().mapToLong(e -> e.rowsRead).sum();
        System.out.printf("%n== %s: %.1f s, %d rows read, exit %d%n", what, s, rows, r.exitCode().code);
        sites.print(System.out, 8);
    }
}
