package io.amocrmetl.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.config.RetentionSettings;
import io.amocrmetl.state.RetentionGuard;
import io.amocrmetl.state.SyncState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a retention run deletes and records, without Spark. */
class RetentionPlanTest {
    static final Instant NOW = Instant.parse("2025-06-30T12:00:00Z");

    static RetentionSettings settings(Map<String, String> rules) {
        return EtlConfig.load(null, rules).retention();
    }

    @Test
    void eachRuleCutsItsTableWithItsChildTablesFromTheRegistry() {
        List<RetentionPlan.Cut> cuts = RetentionPlan.cuts(
                settings(Map.of(
                        "retention.tables.leads.days",
                        "90",
                        "retention.tables.events.days",
                        "30",
                        "retention.tables.contacts.days",
                        "365")),
                NOW);
        assertEquals(
                List.of("leads", "contacts", "events"),
                cuts.stream().map(RetentionPlan.Cut::table).toList(),
                "in the registry's order; tables without a rule are not cut");
        RetentionPlan.Cut leads = cuts.get(0);
        assertEquals(Instant.parse("2025-04-01T00:00:00Z"), leads.cutoff(), "the start of the day 90 days back");
        assertEquals("updated_at", leads.column());
        assertEquals("id", leads.parentKey());
        assertEquals(
                List.of("leads_custom_field_values", "leads_tags", "lead_contacts", "lead_catalog_elements"),
                leads.children().stream().map(LakeTable::name).toList());
        assertTrue(leads.children().stream().allMatch(c -> c.role() == LakeTable.Role.CHILD));
        assertEquals("`updated_at` < timestamp_seconds(" + leads.cutoff().getEpochSecond() + "L)", leads.older());
        assertEquals(
                List.of("contacts_custom_field_values", "contacts_tags", "contact_companies"),
                cuts.get(1).children().stream().map(LakeTable::name).toList());
        RetentionPlan.Cut events = cuts.get(2);
        assertEquals("created_at", events.column());
        assertTrue(events.children().isEmpty());
        assertEquals(Instant.parse("2025-05-31T00:00:00Z"), events.cutoff());
    }

    @Test
    void recordingTheCutoffRaisesCoverageNeverLowersItAndKeepsTheWatermark() {
        Instant cutoff = Instant.parse("2025-04-01T12:00:00Z");
        SyncState.Entry deep = new SyncState.Entry("leads", NOW, Instant.parse("2024-01-01T00:00:00Z"), null, "r", "p");
        SyncState.Entry raised = RetentionPlan.recorded(deep, cutoff);
        assertEquals(cutoff, raised.retentionCutoff());
        assertEquals(cutoff, raised.coverageStart(), "coverage no longer holds what lies below the cut-off");
        assertEquals(NOW, raised.watermark());
        assertEquals("r", raised.reconcileCursor());
        assertEquals("p", raised.probes());
        SyncState.Entry shallow =
                new SyncState.Entry("leads", NOW, Instant.parse("2025-06-28T00:00:00Z"), null, null, null);
        assertEquals(
                shallow.coverageStart(), RetentionPlan.recorded(shallow, cutoff).coverageStart());
        SyncState.Entry never = new SyncState.Entry("leads", null, null, null, null, null);
        SyncState.Entry n = RetentionPlan.recorded(never, cutoff);
        assertNull(n.coverageStart());
        assertNull(n.watermark());
        assertEquals(cutoff, n.retentionCutoff(), "recorded even before the first load, which then starts above it");
    }

    @Test
    void aCutoffWhoseRuleWasRemovedIsLifted() {
        Instant cutoff = Instant.parse("2025-04-01T12:00:00Z");
        Map<String, SyncState.Entry> state = Map.of(
                "leads", new SyncState.Entry("leads", NOW, cutoff, cutoff, null, null),
                "tasks", new SyncState.Entry("tasks", NOW, cutoff, cutoff, null, null));
        List<SyncState.Entry> lifted = RetentionPlan.lifted(
                settings(Map.of("retention.tables.tasks.days", "30")),
                t -> state.getOrDefault(t, new SyncState.Entry(t, null, null, null, null, null)));
        assertEquals(1, lifted.size());
        assertEquals("leads", lifted.get(0).table());
        assertNull(lifted.get(0).retentionCutoff());
        assertEquals(cutoff, lifted.get(0).coverageStart(), "coverage stays: the rows are still gone");
    }

    @Test
    void reconciliationJudgesFromTheLaterOfCoverageAndCutoff() {
        Instant cutoff = Instant.parse("2025-04-01T00:00:00Z");
        Instant deep = Instant.parse("2024-07-01T00:00:00Z");
        Instant shallow = Instant.parse("2025-06-01T00:00:00Z");
        assertEquals(
                cutoff, RetentionGuard.judgeableFrom(new SyncState.Entry("events", NOW, deep, cutoff, null, null)));
        assertEquals(
                shallow, RetentionGuard.judgeableFrom(new SyncState.Entry("events", NOW, shallow, cutoff, null, null)));
        assertEquals(deep, RetentionGuard.judgeableFrom(new SyncState.Entry("events", NOW, deep, null, null, null)));
        assertNull(RetentionGuard.judgeableFrom(new SyncState.Entry("events", null, null, cutoff, null, null)));
    }
}
