package io.amocrmetl.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A child JVM on this JVM's classpath with Spark's JVM flags, for slow tests that kill a process
 * (kill -9) or run a command as a user would. Its stdout and stderr go to one file.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** Spark's flags as this JVM got them (pom.xml's test.jvm.flags), plus a heap limit. */
    public static List<String> javaCommand(String heap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens")
                    || a.startsWith("--add-exports")
                    || a.startsWith("-XX:+IgnoreUnrecognized")
                    || a.startsWith("-Dio.netty")
                    || a.startsWith("-Duser.timezone")) {
                cmd.add(a);
            }
        }
        cmd.add("-Dlog4j2.configurationFile="
                + Path.of("conf/log4j2.properties").toAbsolutePath());
        return cmd;
    }

    /**
     * {@code EtlMain <args>} with every config key given by {@code --set}, and extra system
     * properties (e.g. a crash point).
     */
    public static Process etl(Path output, Map<String, String> config, Map<String, String> properties, String... args)
            throws IOException {
        List<String> cmd = javaCommand("1g");
        // A run of a minute or two on a small account: the client compiler alone costs a third less
        // CPU than tiered compilation, and two of these often start at once on two cores.
        // Without tiers the code cache defaults to 48 MB, which Spark fills ("CodeCache is full"),
        // and then method handles fail to link: keep tiered compilation's 240 MB.
        cmd.add(1, "-XX:TieredStopAtLevel=1");
        cmd.add(2, "-XX:ReservedCodeCacheSize=240m");
        // As the test session: Spark reads spark.* system properties, and a spark.master given so
        // (as spark-submit gives it) makes the product leave its local-mode settings to these.
        SparkTestSession.SETTINGS.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.amocrmetl.cli.EtlMain");
        cmd.addAll(List.of(args));
        config.forEach((k, v) -> {
            cmd.add("--set");
            cmd.add(k + "=" + v);
        });
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }
}
