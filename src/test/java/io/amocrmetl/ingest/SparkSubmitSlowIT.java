package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.testing.ChildJvm;
import io.amocrmetl.testing.ExpectedLake;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * spark-submit (docs/clusters.md): the built jar runs through
 * {@code org.apache.spark.deploy.SparkSubmit} with master local[2] on a classpath of Spark and
 * Delta only, as a cluster provides them (Delta by --packages, docs/spark-and-delta.md),
 * and loads the same tables as the in-process job. The jar holds no sandbox or local-launcher
 * class, and its OkHttp, Okio, Kotlin, config and picocli are relocated.
 */
class SparkSubmitSlowIT {
    /** Jars a Spark installation with Delta does not provide: they must come from our jar, relocated. */
    static final List<String> OURS = List.of(
            "okhttp",
            "okio",
            "kotlin",
            "/com/typesafe/config/",
            "picocli",
            "/target/classes",
            "/target/test-classes",
            "junit",
            "opentest4j",
            "apiguardian");

    @TempDir
    Path dir;

    static Path sparkJar() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().endsWith("-spark.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no target/*-spark.jar: the package phase builds it"));
        }
    }

    @Test
    void theJarHoldsNoSandboxAndRelocatesItsLibraries() throws Exception {
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(sparkJar().toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                names.add(e.getName());
            }
        }
        assertTrue(names.contains("io/amocrmetl/cli/EtlMain.class"));
        assertTrue(names.contains("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister"));
        for (String n : names) {
            assertTrue(
                    !n.startsWith("io/amocrmetl/sandbox/") && !n.startsWith("io/amocrmetl/local/"),
                    "sandbox in the jar: " + n);
            assertTrue(
                    !n.startsWith("okhttp3/")
                            && !n.startsWith("okio/")
                            && !n.startsWith("kotlin/")
                            && !n.startsWith("com/typesafe/")
                            && !n.startsWith("picocli/"),
                    "not relocated: " + n);
            assertTrue(
                    !n.startsWith("org/apache/spark/") && !n.startsWith("io/delta/"), "Spark or Delta bundled: " + n);
        }
        assertTrue(names.stream().anyMatch(n -> n.contains("/shaded/okhttp3/")), "OkHttp relocated");
    }

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void sparkSubmitOfTheJarLoadsTheSameTables() throws Exception {
        try (LakeHarness h =
                new LakeHarness(SandboxSettings.defaults().withSeed(91).withLeads(80), dir)) {
            String classpath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(e -> OURS.stream().noneMatch(e::contains))
                    // Failsafe puts the project's own (unshaded) jar on the classpath: never ours.
                    .filter(e -> !Path.of(e)
                            .toAbsolutePath()
                            .startsWith(Path.of("target").toAbsolutePath()))
                    .reduce((a, b) -> a + File.pathSeparator + b)
                    .orElseThrow();
            h.sandbox.clock().advance(Duration.ofSeconds(2));
            List<String> cmd = ChildJvm.javaCommand("1g");
            cmd.addAll(List.of(
                    "-cp",
                    classpath,
                    "org.apache.spark.deploy.SparkSubmit",
                    "--master",
                    "local[2]",
                    "--conf",
                    "spark.ui.enabled=false",
                    "--conf",
                    "spark.driver.host=127.0.0.1",
                    "--conf",
                    "spark.databricks.delta.snapshotPartitions=2",
                    "--conf",
                    "spark.sql.shuffle.partitions=4",
                    "--class",
                    "io.amocrmetl.cli.EtlMain",
                    sparkJar().toAbsolutePath().toString(),
                    "ingest"));
            for (Map.Entry<String, String> e : h.config.entrySet()) {
                cmd.add("--set");
                cmd.add(e.getKey() + "=" + e.getValue());
            }
            Path log = dir.resolve("spark-submit.log");
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean finished = p.waitFor(20, TimeUnit.MINUTES);
            if (!finished) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(finished, "spark-submit finished:\n" + out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("done:"), out);
            h.assertLake(new ExpectedLake(h.sandbox.groundTruth(), LakeHarness.GA, LakeHarness.REQUEST_ID), Map.of());
        }
    }
}
