package io.amocrmetl.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.amocrmetl.core.EditDistance;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses keys the packaged defaults do not know, so a typo fails the run instead of being
 * silently ignored; the message suggests the nearest known key.
 */
final class KnownKeys {
    private KnownKeys() {}

    /**
     * Every key the user set must exist in the defaults, or be a per-table key of a known table
     * ({@code tables.<t>.*}, {@code retention.tables.<t>.*}).
     */
    static void check(Config user, Config defaults) {
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("retention.tables.")) {
                RetentionSettings.checkKey(key, e.getValue());
                continue;
            }
            if (!defaults.hasPathOrNull(key)) {
                throw new EtlException(
                        ExitCode.BAD_CONFIG,
                        "unknown config key '" + key + "'" + ConfigValues.where(e.getValue())
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
            int d = EditDistance.between(k, key);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 4) ? "; did you mean '" + best + "'?" : "";
    }
}
