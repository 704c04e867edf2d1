package io.amocrmetl.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amocrmetl.state.SyncState.Entry;
import io.amocrmetl.state.SyncState.Facet;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Which columns a job's change sets in {@code _sync_state}: only the facets it changed. */
class SyncStateFacetsTest {
    static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T2 = Instant.parse("2026-02-01T00:00:00Z");
    static final Entry READ = new Entry("leads", T2, T1, null, "c1", "{}");

    @Test
    void anIngestWindowIsAnAdvanceOnly() {
        assertEquals(EnumSet.of(Facet.ADVANCE), SyncState.facets(READ, READ.withWatermark(T2.plusSeconds(60), T1)));
        assertEquals(EnumSet.of(Facet.ADVANCE), SyncState.facets(READ, READ.withWatermark(T2, T1.minusSeconds(60))));
    }

    @Test
    void aCutoffIsNotAnAdvanceEvenWhenItRaisesTheCoverage() {
        Instant cut = T1.plusSeconds(3600);
        assertEquals(
                EnumSet.of(Facet.CUTOFF),
                SyncState.facets(READ, READ.withWatermark(T2, cut).withRetentionCutoff(cut)));
        Entry cutRead = READ.withRetentionCutoff(cut);
        assertEquals(EnumSet.of(Facet.CUTOFF), SyncState.facets(cutRead, cutRead.withRetentionCutoff(null)));
    }

    @Test
    void cursorAndProbesAreTheirOwn() {
        assertEquals(EnumSet.of(Facet.CURSOR), SyncState.facets(READ, READ.withReconcileCursor("c2")));
        assertEquals(EnumSet.of(Facet.PROBES), SyncState.facets(READ, READ.withProbes("{\"a\":1}")));
        assertEquals(EnumSet.noneOf(Facet.class), SyncState.facets(READ, READ));
    }
}
