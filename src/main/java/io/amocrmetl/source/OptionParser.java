package io.amocrmetl.source;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Typed values from a read's raw options (keys lower-cased), for {@link ReadConf}: each method
 * reads one option, returns null (or an empty list) when it is absent or blank, and fails with
 * {@link ExitCode#BAD_CONFIG} and a message naming the option when it is malformed.
 */
final class OptionParser {
    private final Map<String, String> raw;

    OptionParser(Map<String, String> raw) {
        this.raw = raw;
    }

    private String value(String key) {
        String v = raw.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private EtlException bad(String key, String expected) {
        return new EtlException(
                ExitCode.BAD_CONFIG, "option '" + key + "' must be " + expected + ", got '" + raw.get(key) + "'");
    }

    /** Epoch seconds, an ISO instant or a date (UTC midnight). */
    Long instant(String key) {
        String v = value(key);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException ignored) {
            // not epoch seconds
        }
        try {
            return Instant.parse(v).getEpochSecond();
        } catch (DateTimeParseException ignored) {
            // not an instant
        }
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "option '" + key + "' must be epoch seconds, an ISO instant " + "or a date (yyyy-mm-dd), got '" + v
                            + "'");
        }
    }

    List<String> list(String key) {
        String v = raw.get(key);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return List.copyOf(out);
    }

    /** Comma-separated whole numbers; empty when not given. */
    List<Long> longs(String key) {
        List<Long> out = new ArrayList<>();
        for (String id : list(key)) {
            try {
                out.add(Long.parseLong(id));
            } catch (NumberFormatException e) {
                throw bad(key, "comma-separated whole numbers");
            }
        }
        return List.copyOf(out);
    }

    Duration duration(String key) {
        String v = value(key);
        if (v == null) {
            return null;
        }
        Duration d;
        try {
            d = ConfigFactory.parseString("d = " + v).getDuration("d");
        } catch (ConfigException e) {
            throw bad(key, "a duration such as 6h or 7d");
        }
        if (d.getSeconds() < 1) {
            throw bad(key, "at least 1s");
        }
        return d;
    }

    Integer positiveInt(String key) {
        String v = value(key);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad(key, "a whole number above 0");
    }

    Long whole(String key) {
        String v = value(key);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad(key, "a whole number");
        }
    }

    Boolean bool(String key) {
        String v = value(key);
        if (v == null) {
            return null;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.valueOf(v);
        }
        throw bad(key, "true or false");
    }
}
