package io.amocrmetl.source;

import io.amocrmetl.api.PageSizes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether an account's {@code filter[...][from]} and {@code [to]} include their bound: the API
 * documentation does not say (docs/amocrm-api.md §9), and the sandbox can be set either way.
 * Until known, requests are sent one second wider, which is right under both readings but re-reads
 * the second at the edge; for a dense second that waste is large, so a reader learns the readings
 * once (a row at the bound comes back, or {@link KeysetSweep}'s one-row probes) and every reader
 * of the account in this JVM then sends exact bounds. {@code doctor --probe} records them, and
 * they arrive as hints. The events page cap (100 or 250, §9.6) travels the same way: probed,
 * never guessed.
 */
final class BoundReadings {
    private static final Map<String, BoundReadings> KNOWN = new ConcurrentHashMap<>();

    /** null while unknown. */
    volatile Boolean fromInclusive;

    volatile Boolean toInclusive;
    /** The events page the account serves (null: unknown, read 100 at a time). */
    volatile Integer eventsPageSize;

    static BoundReadings of(String baseUrl) {
        return KNOWN.computeIfAbsent(baseUrl, k -> new BoundReadings());
    }

    /** Takes readings known elsewhere (the driver's, or a probe recorded in _sync_state). */
    BoundReadings learn(Boolean from, Boolean to) {
        if (from != null) {
            fromInclusive = from;
        }
        if (to != null) {
            toInclusive = to;
        }
        return this;
    }

    /** Takes the events page size {@code doctor --probe} found (100 or 250; anything else is ignored). */
    BoundReadings learnEventsPage(Integer size) {
        if (size != null && (size == 100 || size == 250)) {
            eventsPageSize = size;
        }
        return this;
    }

    /** The page size to ask {@code path} for: the probed events page, else the endpoint's default. */
    int pageSize(String path) {
        Integer events = eventsPageSize;
        return events != null && path.endsWith("/events") ? events : PageSizes.of(path);
    }

    boolean known() {
        return fromInclusive != null && toInclusive != null;
    }

    /** The {@code [from]} value that makes the first second returned {@code lo} (or lo-1 at worst). */
    long from(long lo) {
        return Boolean.TRUE.equals(fromInclusive) ? lo : lo - 1;
    }

    /** The {@code [to]} value that makes the last second returned {@code hi} (or hi+1 at worst). */
    long to(long hi) {
        return Boolean.FALSE.equals(toInclusive) || toInclusive == null ? hi + 1 : hi;
    }

    @Override
    public String toString() {
        return "from " + (fromInclusive == null ? "?" : fromInclusive ? "inclusive" : "exclusive") + ", to "
                + (toInclusive == null ? "?" : toInclusive ? "inclusive" : "exclusive");
    }
}
