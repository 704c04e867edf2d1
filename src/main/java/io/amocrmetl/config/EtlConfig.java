package io.amocrmetl.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.amocrmetl.cli.EtlException;
import io.amocrmetl.cli.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The configuration, resolved once on the driver into typed, validated parts (DESIGN.md
 * "Configuration"): {@code conf/reference.conf}'s defaults (packaged in the jar), the user's
 * file on top, then overrides (reader options, tests). Unknown keys and bad values are refused
 * here, naming the key and where it was set; secrets are checked only by the commands that talk
 * to amoCRM ({@link AmoSettings#requireAuth()}).
 */
public final class EtlConfig {
    /** The packaged copy of {@code conf/reference.conf}, at the jar root where typesafe-config looks. */
    static final String DEFAULTS = "reference.conf";

    private final Config config;
    private final AmoSettings amocrm;
    private final String lakePath;
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
        this.tables = TableSettings.from(c);
        this.history = new History(positiveInt(c, "history.initial-days"), positiveInt(c, "history.max-days"));
        if (history.initialDays() > history.maxDays()) {
            throw bad("history.initial-days", "must not exceed history.max-days (" + history.maxDays() + ")", c);
        }
        this.ingest = new IngestSettings(duration(c, "ingest.overlap"), duration(c, "ingest.margin"),
                positive(c, "ingest.window", duration(c, "ingest.window")), positiveInt(c, "ingest.window-rows"));
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
                user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new EtlException(ExitCode.BAD_CONFIG, "config file " + file + " is not valid HOCON: " + e.getMessage());
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
                    parsed = ConfigFactory.parseString(e.getKey() + " = " + v, ConfigParseOptions.defaults()
                            .setOriginDescription("options")).withFallback(parsed);
                    continue;
                } catch (ConfigException ex) {
                    throw new EtlException(ExitCode.BAD_CONFIG, "config key '" + e.getKey() + "': " + v + " is not a HOCON value");
                }
            }
            plain.put(e.getKey(), e.getValue());
        }
        return parsed.withFallback(ConfigFactory.parseMap(plain, "options"));
    }

    /** Validates a user config (not yet merged with the defaults). */
    public static EtlConfig from(Config user) {
        Config defaults = defaults();
        checkKnownKeys(user, defaults);
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
            return ConfigFactory.parseResources(EtlConfig.class.getClassLoader(), DEFAULTS,
                    ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new IllegalStateException("the packaged defaults " + DEFAULTS + " are missing or broken", e);
        }
    }

    /**
     * Every key the user set must exist in the defaults, or be a per-table key of a known table
     * ({@code tables.<t>.*}, {@code retention.tables.<t>.*}).
     */
    private static void checkKnownKeys(Config user, Config defaults) {
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("retention.tables.")) {
                RetentionSettings.checkKey(key, e.getValue());
                continue;
            }
            if (!defaults.hasPathOrNull(key)) {
                throw new EtlException(ExitCode.BAD_CONFIG, "unknown config key '" + key + "'" + where(e.getValue())
                        + suggestion(key, defaults));
            }
        }
    }

    private static String suggestion(String key, Config defaults) {
        Set<String> known = new TreeSet<>();
        defaults.entrySet().forEach(d -> known.add(d.getKey()));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(k, key);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 4) ? "; did you mean '" + best + "'?" : "";
    }

    /** Levenshtein distance, for "did you mean". */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ---- typed accessors ---------------------------------------------------------------------

    public AmoSettings amocrm() {
        return amocrm;
    }

    public String lakePath() {
        return lakePath;
    }

    /** Per-table selection and filter, for every entity table (DESIGN.md "tables.<table>"). */
    public Map<String, TableSettings> tables() {
        return tables;
    }

    public TableSettings table(String name) {
        TableSettings t = tables.get(name);
        if (t == null) {
            throw new EtlException(ExitCode.BAD_CONFIG, "unknown table '" + name + "'; one of " + String.join(", ", tables.keySet()));
        }
        return t;
    }

    public History history() {
        return history;
    }

    public IngestSettings ingest() {
        return ingest;
    }

    /** {@code soft} or {@code hard} (DESIGN.md "Deletes"). */
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
    public record History(int initialDays, int maxDays) {
    }

    /**
     * {@code ingest.*}: the overlap before the watermark, the margin before server time, the first
     * window's length, and the rows a window aims to hold.
     */
    public record IngestSettings(Duration overlap, Duration margin, Duration window, int windowRows) {
    }

    // ---- helpers shared by the settings classes -----------------------------------------------

    static EtlException bad(String key, String what, Config c) {
        String origin = "";
        if (c != null && c.hasPath(key)) {
            origin = where(c.getValue(key));
        }
        return new EtlException(ExitCode.BAD_CONFIG, "config key '" + key + "'" + origin + ": " + what);
    }

    static String where(ConfigValue v) {
        String d = v == null || v.origin() == null ? null : v.origin().description();
        return d == null || d.startsWith("options") || d.contains("reference.conf") ? "" : " (" + d + ")";
    }

    static <T> T get(Config c, String key, Function<String, T> read, String expected) {
        try {
            return read.apply(key);
        } catch (ConfigException.Missing e) {
            throw bad(key, "is missing", c);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw bad(key, "must be " + expected, c);
        }
    }

    /** A string, or null when the key is null (unset). */
    static String stringOrNull(Config c, String key) {
        if (c.getIsNull(key)) {
            return null;
        }
        if (c.getValue(key).valueType() != ConfigValueType.STRING && c.getValue(key).valueType() != ConfigValueType.NUMBER) {
            throw bad(key, "must be a string", c);
        }
        String s = c.getString(key).trim();
        return s.isEmpty() ? null : s;
    }

    static String string(Config c, String key) {
        String s = stringOrNull(c, key);
        if (s == null) {
            throw bad(key, "must be set", c);
        }
        return s;
    }

    static int positiveInt(Config c, String key) {
        int v = get(c, key, c::getInt, "a whole number");
        if (v <= 0) {
            throw bad(key, "must be greater than 0, got " + v, c);
        }
        return v;
    }

    static boolean bool(Config c, String key) {
        return get(c, key, c::getBoolean, "true or false");
    }

    static Duration duration(Config c, String key) {
        return get(c, key, c::getDuration, "a duration such as 10s, 5m or 7d");
    }

    static Duration positive(Config c, String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw bad(key, "must be longer than 0", c);
        }
        return d;
    }

    static String oneOf(Config c, String key, Set<String> allowed) {
        String v = string(c, key);
        if (!allowed.contains(v)) {
            throw bad(key, "must be one of " + new TreeSet<>(allowed) + ", got '" + v + "'", c);
        }
        return v;
    }

    static List<String> stringList(Config c, String key) {
        List<String> out = new ArrayList<>(get(c, key, c::getStringList, "a list of strings"));
        return List.copyOf(out);
    }

    /** Keys of an object at {@code path} (table names), in file order where HOCON keeps it. */
    static List<String> children(Config c, String path) {
        return new ArrayList<>(new LinkedHashMap<>(c.getObject(path)).keySet());
    }
}
