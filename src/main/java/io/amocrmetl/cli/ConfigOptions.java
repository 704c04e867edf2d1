package io.amocrmetl.cli;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.source.ReadOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set key=value}: the configuration every command reads. */
public final class ConfigOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The HOCON config file, layered over conf/reference.conf's defaults.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A config key for this run only, over the file (repeatable), e.g. --set lake.path=/tmp/lake.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The resolved, validated configuration (exit 2 naming the key when it is wrong). */
    public EtlConfig load() {
        return EtlConfig.load(config, overrides);
    }

    /** The same configuration as reader options: the file and the overrides. */
    public Map<String, String> asReaderOptions() {
        Map<String, String> out = new LinkedHashMap<>();
        if (config != null) {
            out.put(ReadOptions.CONFIG, config.toAbsolutePath().toString());
        }
        out.putAll(overrides);
        return out;
    }
}
