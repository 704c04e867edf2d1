package io.amocrmetl.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Typed reads of single config values, shared by every settings class: each refuses a missing or
 * ill-typed value with {@link ExitCode#BAD_CONFIG}, naming the key and the file that set it (the
 * packaged defaults and reader options are not worth naming).
 */
final class ConfigValues {
    private ConfigValues() {}

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
        if (c.getValue(key).valueType() != ConfigValueType.STRING
                && c.getValue(key).valueType() != ConfigValueType.NUMBER) {
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
