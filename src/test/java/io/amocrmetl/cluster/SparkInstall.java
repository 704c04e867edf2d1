package io.amocrmetl.cluster;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Spark installation made of this test JVM's Maven jars (docs/spark-and-delta.md, "A real
 * Spark standalone cluster from Maven artifacts"): a folder with an empty {@code RELEASE} and
 * {@code jars/} linking Spark's jars, with or without Delta, never ours (the product's libraries
 * must come from its shaded jar, as on a cluster). Its {@link #sparkSubmit} is what the
 * {@code spark-submit} script runs.
 */
final class SparkInstall {
    /**
     * Jars an installation does not have: ours (under target/: Failsafe puts the packaged jar
     * there, not target/classes), our libraries, and the test framework's.
     */
    private static final List<String> OURS = List.of(
            "okhttp",
            "okio",
            "kotlin",
            "/com/typesafe/config/",
            "picocli",
            Path.of("target").toAbsolutePath() + File.separator,
            "junit",
            "opentest4j",
            "apiguardian");
    /** Delta's jars and what Delta alone brings (mvn dependency:tree under delta-spark). */
    private static final List<String> DELTA = List.of("/io/delta/", "/io/unitycatalog/", "jackson-datatype-jdk8");

    final Path home;

    private SparkInstall(Path home) {
        this.home = home;
    }

    /**
     * The installation, under target/ (its jars are links into the Maven repository, made afresh
     * from this JVM's classpath).
     *
     * @param withDelta whether Delta is installed (a cluster's jars) or must come by --packages
     */
    static SparkInstall create(boolean withDelta) throws IOException {
        Path home = Path.of("target", "spark-install", withDelta ? "spark-delta" : "spark")
                .toAbsolutePath();
        if (Files.isDirectory(home.resolve("jars"))) {
            try (Stream<Path> old = Files.list(home.resolve("jars"))) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(home.resolve("jars"));
        // Without RELEASE, a worker looks for a source build and cannot start executors.
        Files.writeString(home.resolve("RELEASE"), "");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            boolean delta = DELTA.stream().anyMatch(entry::contains);
            if (entry.endsWith(".jar") && OURS.stream().noneMatch(entry::contains) && (withDelta || !delta)) {
                Path jar = Path.of(entry);
                Path link = home.resolve("jars").resolve(jar.getFileName());
                if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    // Two artifacts of one file name (different groups): keep both.
                    link = home.resolve("jars")
                            .resolve(jar.getParent().getParent().getFileName() + "-" + jar.getFileName());
                }
                Files.createSymbolicLink(link, jar);
            }
        }
        return new SparkInstall(home);
    }

    /** Spark's JVM flags, as this JVM got them (pom.xml's spark.jvm.flags). */
    static List<String> jvmFlags() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens")
                    || a.startsWith("--add-exports")
                    || a.startsWith("-XX:+IgnoreUnrecognized")
                    || a.startsWith("-Dio.netty")
                    || a.startsWith("-Duser.timezone")) {
                out.add(a);
            }
        }
        return out;
    }

    /** {@code java} with Spark's flags, a heap and {@code properties}, on this installation's jars, running {@code mainClass}. */
    List<String> java(String heap, String mainClass, String... properties) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(jvmFlags());
        cmd.addAll(List.of(properties));
        cmd.add("-cp");
        cmd.add(home.resolve("jars") + File.separator + "*");
        cmd.add(mainClass);
        return cmd;
    }

    /**
     * The command {@code $SPARK_HOME/bin/spark-submit ARGS} runs: the driver of a client-mode job
     * is this JVM. Logging goes through the project's log4j2 file (the product at INFO).
     */
    List<String> sparkSubmit(List<String> args) {
        List<String> cmd = java(
                "1g",
                "org.apache.spark.deploy.SparkSubmit",
                "-Dlog4j2.configurationFile="
                        + Path.of("conf/log4j2.properties").toAbsolutePath());
        cmd.addAll(args);
        return cmd;
    }

    /** The environment every process of this installation gets: SPARK_HOME, the Scala version, loopback only. */
    void environment(ProcessBuilder pb) {
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    }

    /** The jar {@code mvn package} built for spark-submit. */
    static Path applicationJar() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().endsWith("-spark.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no target/*-spark.jar: the package phase builds it"))
                    .toAbsolutePath();
        }
    }
}
