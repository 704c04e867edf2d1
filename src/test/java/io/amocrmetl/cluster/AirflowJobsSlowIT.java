package io.amocrmetl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.cli.EtlMain;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.testing.LakeTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Airflow's jobs (docs/airflow.md): the exact command lines the Airflow DAG runs
 * (rendered from jobs/airflow/amocrm_etl_jobs.json, and equal to the DAG's own rendering), run
 * against a local Spark and the sandbox. Airflow itself cannot be installed here, so this runs what
 * its SparkSubmitOperator would: {@code spark-submit} (here the JVM command the script runs, on a
 * Spark installation without Delta: Delta comes by the line's --packages, resolved by Ivy), the
 * account's config file from the Variable, and the token in the environment as the Connection
 * gives it.
 */
class AirflowJobsSlowIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void theDagsCommandLinesRunAgainstLocalSpark() throws Exception {
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(43).withLeads(150))) {
            sandbox.limits().requestsPerSecond = 7;
            sandbox.limits().retryAfterSeconds = 1;
            Path lake = dir.resolve("lake");
            LakeTemplate.copyTo(lake);
            // The account's config file: no secret in it (the token comes from the environment).
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("amocrm.source-name", "acme");
            keys.put("amocrm.base-url", sandbox.baseUrl());
            keys.put("amocrm.auth.token-store", dir.resolve("state/tokens.json").toString());
            keys.put("amocrm.rate-limit.host-dir", dir.resolve("host").toString()); // this test's own "host"
            keys.put("amocrm.custom-fields.ga-client-id", LakeCheck.GA);
            keys.put("amocrm.custom-fields.request-id", LakeCheck.REQUEST_ID);
            keys.put("lake.path", lake.toString());
            keys.put("history.initial-days", "400");
            keys.put("ingest.margin", "0s");
            keys.put("ingest.window", "401d"); // one window: the first run reads 400 days and a second
            Path config = dir.resolve("acme.conf");
            StringBuilder hocon = new StringBuilder();
            keys.forEach((k, v) -> hocon.append(k).append(" = \"").append(v).append("\"\n"));
            Files.writeString(config, hocon, StandardCharsets.UTF_8);

            // The Variable's account: its config, and Spark conf for a small local run (the Ivy cache in dir).
            AirflowJobs.Account acme = new AirflowJobs.Account(
                    "acme",
                    config.toString(),
                    Map.of(
                            "spark.jars.ivy",
                            dir.resolve("ivy").toString(),
                            "spark.ui.enabled",
                            "false",
                            "spark.driver.host",
                            "127.0.0.1",
                            "spark.sql.shuffle.partitions",
                            "4",
                            "spark.databricks.delta.snapshotPartitions",
                            "2"));
            String jar = SparkInstall.applicationJar().toString();
            Path variable = AirflowJobsTest.variable(dir, acme, jar);
            AirflowJobs jobs = AirflowJobs.load();
            SparkInstall spark = SparkInstall.create(false);
            sandbox.clock().advance(Duration.ofSeconds(2));
            // Yesterday, as a daily run's data interval.
            Instant end = Instant.ofEpochSecond(sandbox.clock().nowSeconds()).truncatedTo(ChronoUnit.DAYS);
            Instant start = end.minus(Duration.ofDays(1));

            for (String job : jobs.jobs()) {
                List<String> argv = jobs.argv(job, acme, jar, "local[2]", null, start, end);
                assertEquals(
                        AirflowJobsTest.pythonArgv(dir, variable, job, "acme", "local[2]", null, start, end),
                        argv,
                        "the line the DAG renders");
                if (!EtlMain.commandLine().getSubcommands().containsKey(job)) {
                    System.out.println(
                            job + ": not a command of this build yet, not run (AirflowJobsTest checks its line)");
                    continue;
                }
                assertEquals("spark-submit", argv.get(0));
                List<String> cmd = spark.sparkSubmit(argv.subList(1, argv.size()));
                Path log = dir.resolve(job + ".log");
                ProcessBuilder pb =
                        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                spark.environment(pb);
                // What the task's env_vars give: the Connection's password as the long-lived token.
                jobs.secretsEnv("long-lived-token")
                        .forEach((name, field) ->
                                pb.environment().put(name, sandbox.settings().token()));
                Process p = pb.start();
                try {
                    assertTrue(p.waitFor(15, TimeUnit.MINUTES), job + " did not finish; log in " + log);
                } finally {
                    p.destroyForcibly();
                }
                String out = Files.readString(log, StandardCharsets.UTF_8);
                System.out.printf(
                        "%s: exit %d%n%s%n",
                        job,
                        p.exitValue(),
                        out.lines()
                                .filter(l -> !l.startsWith("\t") && !l.contains(" WARN "))
                                .reduce((a, b) -> a + "\n" + b)
                                .orElse(""));
                assertEquals(0, p.exitValue(), out);
                assertTrue(out.contains("io.delta#delta-spark_2.13;4.4.0"), "Delta came by --packages: " + out);
                assertTrue(!out.contains(sandbox.settings().token()), "the token is never printed");
            }
            LakeCheck.assertLake(sandbox, EtlConfig.load(config, Map.of()));
        }
    }
}
