package io.amocrmetl.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The configuration, resolved once on the driver into typed, validated parts
 * (docs/configuration.md): {@code conf/reference.conf}'s defaults (packaged in the jar), the
 * user's file on top, then overrides (reader options, tests). Unknown keys and bad values are refused
 * here, naming the key and where it was set; secrets are checked only by the commands that talk
 * to amoCRM ({@link AmoSettings#requireAuth()}).
 */
public final class EtlConfig {
    /** The packaged copy of {@code conf/reference.conf}, at the jar root where typesafe-config looks. */
    static final String DEFAULTS = "reference.conf";

    private final Config config;
    private final AmoSettings amocrm;
    private final String lakePath;
    private final Duration leaseExpiry;
    private final Map<String, TableSettings> tables;
    private final History history;
    private final IngestSettings ingest;
    private final String deletesMode;
    private final WebhookSettings webhooks;
    private final RetentionSettings retention;
    private final ReconcileSettings reconcile;
    private final MartsSettings marts;

    private EtlConfig(Config c) {
        this.config = c;
        this.amocrm = AmoSettings.from(c);
        this.lakePath = string(c, "lake.path");
        this.leaseExpiry = positive(c, "lake.lease-expiry", duration(c, "lake.lease-expiry"));
        this.tables = TableSettings.from(c);
        this.history = new History(positiveInt(c, "history.initial-days"), positiveInt(c, "history.max-days"));
        if (history.initialDays() > history.maxDays()) {
            throw bad("history.initial-days", "must not exceed history.max-days (" + history.maxDays() + ")", c);
        }
        this.ingest = new IngestSettings(
                duration(c, "ingest.overlap"),
                duration(c, "ingest.margin"),
                positive(c, "ingest.window", duration(c, "ingest.window")),
                positiveInt(c, "ingest.window-rows"));
        this.deletesMode = oneOf(c, "deletes.mode", Set.of("soft", "hard"));
        this.webhooks = WebhookSettings.from(c, lakePath);
        this.retention = RetentionSettings.from(c);
        this.reconcile = ReconcileSettings.from(c);
        this.marts = MartsSettings.from(c, lakePath);
    }

    /** Loads {@code file} (null: defaults only) with {@code overrides} (HOCON paths) on top. */
    public static EtlConfig load(Path file, Map<String, String> overrides) {
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new EtlException(ExitCode.BAD_CONFIG, "config file " + file + " does not exist");
            }
            try {
                user = ConfigFactory.parseFile(
                        file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new EtlException(
                        ExitCode.BAD_CONFIG, "config file " + file + " is not valid HOCON: " + e.getMessage());
            }
        }
        if (overrides != null && !overrides.isEmpty()) {
            user = overrides(overrides).withFallback(user);
        }
        return from(user);
    }

    /**
     * Key/value overrides (reader options, {@code --set}): a value written as a HOCON list or
     * object ({@code [a, b]}) is parsed as one; anything else is a string, which typesafe-config
     * reads as a number or boolean where the key wants one.
     */
    static Config overrides(Map<String, String> overrides) {
        Map<String, Object> plain = new LinkedHashMap<>();
        Config parsed = ConfigFactory.empty();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String v = e.getValue() == null ? null : e.getValue().trim();
            if (v != null && (v.startsWith("[") || v.startsWith("{"))) {
                try {
                    parsed = ConfigFactory.parseString(
                                    e.getKey() + " = " + v,
                                    ConfigParseOptions.defaults().setOriginDescription("options"))
                            .withFallback(parsed);
                    continue;
                } catch (ConfigException ex) {
                    throw new EtlException(
                            ExitCode.BAD_CONFIG, "config key '" + e.getKey() + "': " + v + " is not a HOCON value");
                }
            }
            plain.put(e.getKey(), e.getValue());
        }
        return parsed.withFallback(ConfigFactory.parseMap(plain, "options"));
    }

    /** Validates a user config (not yet merged with the defaults). */
    public static EtlConfig from(Config user) {
        Config defaults = defaults();
        KnownKeys.check(user, defaults);
        Config merged;
        try {
            merged = user.withFallback(defaults).resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            throw new EtlException(ExitCode.BAD_CONFIG, "config: " + e.getMessage());
        }
        return new EtlConfig(merged);
    }

    static Config defaults() {
        try {
            return ConfigFactory.parseResources(
                    EtlConfig.class.getClassLoader(),
                    DEFAULTS,
                    ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new IllegalStateException("the packaged defaults " + DEFAULTS + " are missing or broken", e);
        }
    }

    // ---- typed accessors ---------------------------------------------------------------------

    public AmoSettings amocrm() {
        return amocrm;
    }

    public String lakePath() {
        return lakePath;
    }

    /** How long a killed job's account lease keeps blocking after its last renewal (lake.lease-expiry). */
    public Duration leaseExpiry() {
        return leaseExpiry;
    }

    /** Per-table selection and filter, for every entity table (docs/configuration.md). */
    public Map<String, TableSettings> tables() {
        return tables;
    }

    public TableSettings table(String name) {
        TableSettings t = tables.get(name);
        if (t == null) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG, "unknown table '" + name + "'; one of " + String.join(", ", tables.keySet()));
        }
        return t;
    }

    public History history() {
        return history;
    }

    public IngestSettings ingest() {
        return ingest;
    }

    /** {@code soft} or {@code hard} (docs/lakehouse.md). */
    public String deletesMode() {
        return deletesMode;
    }

    public WebhookSettings webhooks() {
        return webhooks;
    }

    public RetentionSettings retention() {
        return retention;
    }

    public ReconcileSettings reconcile() {
        return reconcile;
    }

    public MartsSettings marts() {
        return marts;
    }

    /** The resolved HOCON, for diagnostics; secrets must be read through the typed parts. */
    Config raw() {
        return config;
    }

    /** {@code history.*}: days a first run loads, and the deepest a historical load may reach. */
    public record History(int initialDays, int maxDays) {}

    /**
     * {@code ingest.*}: the overlap before the watermark, the margin before server time, the first
     * window's length, and the rows a window aims to hold.
     */
    public record IngestSettings(Duration overlap, Duration margin, Duration window, int windowRows) {}

    // ---- the readers the settings classes share, kept under these names for their call sites ----

    static EtlException bad(String key, String what, Config c) {
        return ConfigValues.bad(key, what, c);
    }

    static String where(ConfigValue v) {
        return ConfigValues.where(v);
    }

    static <T> T get(Config c, String key, Function<String, T> read, String expected) {
        return ConfigValues.get(c, key, read, expected);
    }

    /** A string, or null when the key is null (unset). */
    static String stringOrNull(Config c, String key) {
        return ConfigValues.stringOrNull(c, key);
    }

    static String string(Config c, String key) {
        return ConfigValues.string(c, key);
    }

    static int positiveInt(Config c, String key) {
        return ConfigValues.positiveInt(c, key);
    }

    static boolean bool(Config c, String key) {
        return ConfigValues.bool(c, key);
    }

    static Duration duration(Config c, String key) {
        return ConfigValues.duration(c, key);
    }

    static Duration positive(Config c, String key, Duration d) {
        return ConfigValues.positive(c, key, d);
    }

    static String oneOf(Config c, String key, Set<String> allowed) {
        return ConfigValues.oneOf(c, key, allowed);
    }

    static List<String> stringList(Config c, String key) {
        return ConfigValues.stringList(c, key);
    }

    /** Keys of an object at {@code path} (table names), in file order where HOCON keeps it. */
    static List<String> children(Config c, String path) {
        return ConfigValues.children(c, path);
    }
}
