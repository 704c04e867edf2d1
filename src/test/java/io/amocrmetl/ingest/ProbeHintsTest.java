package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.state.AccountProbes;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recorded probes become reader hints, and survive their trip through _sync_state's JSON. */
class ProbeHintsTest {
    static final Instant AT = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void probesRoundTripThroughJsonUnknownsIncluded() {
        AccountProbes p =
                new AccountProbes(AT, true, false, null, null, AccountProbes.TIES_ID_DESC, 250, true, null, 12);
        assertEquals(p, AccountProbes.parse(p.toJson()));
        assertNull(AccountProbes.parse(null));
        assertNull(AccountProbes.parse(" "));
        assertNull(AccountProbes.parse("{not json"), "unreadable probes are ignored, never a failed run");
        assertNull(AccountProbes.parse("[1]"));
    }

    @Test
    void ignoredFiltersMeanIfModifiedSinceAndNoBounds() {
        AccountProbes p = new AccountProbes(AT, true, false, true, true, null, 250, null, null, 9);
        Map<String, String> hints = ProbeHints.of(p);
        assertEquals(Map.of(ReadOptions.API_FILTERS, "false", ReadOptions.EVENTS_PAGE_SIZE, "250"), hints);
        String line = ProbeHints.describe(p, hints);
        assertTrue(line.contains("If-Modified-Since") && line.contains("250 events a page"), line);
    }

    @Test
    void honouredFiltersCarryTheirBounds() {
        AccountProbes p = new AccountProbes(AT, false, true, false, true, null, null, null, null, 9);
        assertEquals(
                Map.of(
                        ReadOptions.API_FILTERS,
                        "true",
                        ReadOptions.FROM_INCLUSIVE,
                        "false",
                        ReadOptions.TO_INCLUSIVE,
                        "true"),
                ProbeHints.of(p));
    }

    @Test
    void nothingKnownHintsNothing() {
        assertEquals(Map.of(), ProbeHints.of(null));
        AccountProbes unknown = new AccountProbes(AT, null, null, null, null, null, null, null, null, 1);
        assertEquals(Map.of(), ProbeHints.of(unknown));
        assertNull(ProbeHints.describe(unknown, Map.of()));
    }
}
