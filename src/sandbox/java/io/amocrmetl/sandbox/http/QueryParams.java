package io.amocrmetl.sandbox.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A query string as PHP reads it, bracket keys kept verbatim ({@code filter[id][]},
 * {@code filter[statuses][0][pipeline_id]}). Broken percent-encoding is rejected.
 */
final class QueryParams {
    private static final Pattern INDEXED = Pattern.compile("\\[\\d*]");
    private final List<Map.Entry<String, String>> entries = new ArrayList<>();

    QueryParams(String raw) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            entries.add(new SimpleEntry<>(decode(k), decode(v)));
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadParam(s, "broken percent-encoding");
        }
    }

    String first(String key) {
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    boolean has(String key) {
        return first(key) != null;
    }

    /**
     * Every value given for {@code base} as {@code base=v}, {@code base[]=v} or {@code base[N]=v};
     * with {@code splitCommas}, a value "a,b" counts as two.
     */
    List<String> multi(String base, boolean splitCommas) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : entries) {
            String k = e.getKey();
            if (k.equals(base)
                    || (k.startsWith(base)
                            && INDEXED.matcher(k.substring(base.length())).matches())) {
                if (splitCommas) {
                    for (String part : e.getValue().split(",")) {
                        if (!part.isBlank()) {
                            out.add(part.trim());
                        }
                    }
                } else {
                    out.add(e.getValue());
                }
            }
        }
        return out;
    }

    /** Keys that start with {@code prefix}. */
    List<String> keysStartingWith(String prefix) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().startsWith(prefix)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    List<Map.Entry<String, String>> entries() {
        return entries;
    }

    Long longParam(String key) {
        String v = first(key);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new BadParam(key, "not a whole number: " + v);
        }
    }

    List<Long> longs(String base) {
        List<Long> out = new ArrayList<>();
        for (String v : multi(base, true)) {
            try {
                out.add(Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw new BadParam(base, "not a whole number: " + v);
            }
        }
        return out;
    }

    /** A parameter the API would reject with a validation error. */
    static final class BadParam extends RuntimeException {
        final String path;

        BadParam(String path, String detail) {
            super(detail);
            this.path = path;
        }
    }
}
