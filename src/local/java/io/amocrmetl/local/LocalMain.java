package io.amocrmetl.local;

import io.amocrmetl.cli.EtlMain;
import picocli.CommandLine;

/**
 * The local launcher's entry point ({@code jobs/amocrm-etl}): the product's commands plus those
 * that need the embedded sandbox ({@code sandbox}, {@code demo}). This source root may use both
 * the product and the sandbox; the spark-submit jar leaves it out with the sandbox.
 */
public final class LocalMain {
    private LocalMain() {}

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cl = EtlMain.commandLine();
        cl.addSubcommand("sandbox", new SandboxCommand());
        cl.addSubcommand("demo", new DemoCommand());
        cl.addSubcommand("bench", new io.amocrmetl.local.bench.BenchCommand());
        return cl.execute(args);
    }
}
