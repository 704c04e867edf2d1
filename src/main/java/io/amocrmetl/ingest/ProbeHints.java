package io.amocrmetl.ingest;

import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.state.AccountProbes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what {@code doctor --probe} recorded ({@link AccountProbes}) into reader hints, so a run
 * starts from the account's real behaviour instead of learning it with wasted requests: filters
 * the server ignores mean If-Modified-Since from the first request (docs/amocrm-api.md §3.5, §4.2); known
 * bound readings mean exact bounds; a probed events page of 250 means fewer event requests (docs/amocrm-api.md §9.6).
 * A stale finding costs requests, never rows: a filter that is ignored after all is still caught
 * by the page check, and bounds are only used where filters work.
 */
final class ProbeHints {
    private ProbeHints() {}

    /** Adds the account's recorded probes to the run's reader options, and says so. */
    static void apply(RunContext ctx) {
        AccountProbes probes =
                AccountProbes.parse(ctx.state.get(AccountProbes.KEY).probes());
        Map<String, String> hints = of(probes);
        ctx.readBase.putAll(hints);
        String line = describe(probes, hints);
        if (line != null) {
            ctx.out.println(line);
        }
    }

    static Map<String, String> of(AccountProbes p) {
        Map<String, String> out = new LinkedHashMap<>();
        if (p == null) {
            return out;
        }
        if (p.filtersHonoured() != null) {
            out.put(ReadOptions.API_FILTERS, String.valueOf(p.filtersHonoured()));
        }
        if (Boolean.TRUE.equals(p.filtersHonoured())) {
            if (p.fromInclusive() != null) {
                out.put(ReadOptions.FROM_INCLUSIVE, String.valueOf(p.fromInclusive()));
            }
            if (p.toInclusive() != null) {
                out.put(ReadOptions.TO_INCLUSIVE, String.valueOf(p.toInclusive()));
            }
        }
        if (p.eventsPageMax() != null) {
            out.put(ReadOptions.EVENTS_PAGE_SIZE, String.valueOf(p.eventsPageMax()));
        }
        return out;
    }

    /** One line for the run's output: what the probes change, or null when nothing. */
    static String describe(AccountProbes p, Map<String, String> hints) {
        if (hints.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if ("false".equals(hints.get(ReadOptions.API_FILTERS))) {
            parts.add("filters ignored, so If-Modified-Since");
        }
        if (hints.containsKey(ReadOptions.FROM_INCLUSIVE) || hints.containsKey(ReadOptions.TO_INCLUSIVE)) {
            parts.add("exact bounds");
        }
        if (hints.containsKey(ReadOptions.EVENTS_PAGE_SIZE)) {
            parts.add(hints.get(ReadOptions.EVENTS_PAGE_SIZE) + " events a page");
        }
        return parts.isEmpty()
                ? null
                : "  probes (doctor --probe" + (p.probedAt() == null ? "" : ", " + p.probedAt()) + "): "
                        + String.join(", ", parts);
    }
}
