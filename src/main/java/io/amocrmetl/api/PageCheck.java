package io.amocrmetl.api;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What every item of a filtered list must satisfy (docs/api-client.md: page checks). When the
 * server ignored a filter (API filters off, docs/amocrm-api.md §4.2) the first page shows it, and the walk
 * stops there instead of reading the whole account. Bounds are checked inclusively whatever the
 * server's inclusivity, which is undocumented.
 */
public record PageCheck(Map<String, long[]> ranges, Map<String, Set<String>> allowed) {
    public static final PageCheck NONE = new PageCheck(Map.of(), Map.of());

    /** The top-level fields an item watcher must capture. */
    Set<String> fields() {
        Set<String> out = new HashSet<>(ranges.keySet());
        out.addAll(allowed.keySet());
        out.add("id");
        return out;
    }

    /** What an item broke: the field, and a description for the message. */
    record Violation(String field, String text) {}

    /** The first violation of an item, or null when it passes (a missing field passes). */
    Violation violation(Map<String, String> item) {
        for (Map.Entry<String, long[]> r : ranges.entrySet()) {
            String v = item.get(r.getKey());
            if (v == null) {
                continue;
            }
            long x;
            try {
                x = Long.parseLong(v);
            } catch (NumberFormatException e) {
                return new Violation(r.getKey(), r.getKey() + " is not a number: " + v);
            }
            if (x < r.getValue()[0] || x > r.getValue()[1]) {
                return new Violation(
                        r.getKey(),
                        r.getKey() + "=" + x + " is outside the requested [" + bound(r.getValue()[0]) + ", "
                                + bound(r.getValue()[1]) + "]");
            }
        }
        for (Map.Entry<String, Set<String>> a : allowed.entrySet()) {
            String v = item.get(a.getKey());
            if (v != null && !a.getValue().contains(v)) {
                return new Violation(a.getKey(), a.getKey() + "=" + v + " is not among the requested values");
            }
        }
        return null;
    }

    private static String bound(long b) {
        return b == Long.MIN_VALUE || b == Long.MAX_VALUE ? "∞" : String.valueOf(b);
    }
}
