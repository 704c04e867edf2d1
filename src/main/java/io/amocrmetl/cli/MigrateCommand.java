package io.amocrmetl.cli;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.SparkSessions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate}: upgrades the lake's layout to this binary's ({@code _lake_meta.layout_version}). */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Upgrade the lake's layout to this version of amocrm-etl (see _lake_meta).")
public final class MigrateCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--dry-run", description = "Say what would change; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        EtlConfig cfg = config.load();
        var spark = SparkSessions.create("migrate");
        Lake lake = Lake.readOnly(spark, cfg.lakePath());
        int version = lake.checkLayout(false);
        if (version == Tables.LAYOUT_VERSION) {
            System.out.println(
                    "the lake at " + lake.root() + " is at layout " + version + ", this binary's: nothing to migrate");
        } else {
            // Layout 1 is the first; later layouts add their steps here, each idempotent.
            System.out.println("the lake at " + lake.root() + " is at layout " + version
                    + "; no migration step exists to " + Tables.LAYOUT_VERSION + (dryRun ? " (dry run)" : ""));
        }
        return ExitCode.OK.code;
    }
}
