package io.amocrmetl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Retention rules are checked at start (docs/retention.md):
 * each bad rule fails with one line naming its key, exit 2; good rules resolve to their defaults.
 */
class RetentionSettingsTest {
    @TempDir
    Path dir;

    /** Pairs of key=value (';'-separated) → the key the message must name, and a word it must hold. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // a reference, a system, a child and an analysis table, and tables that do not exist
                "retention.tables.users.days=30 | retention.tables.users.days | reference table",
                "retention.tables.statuses.days=30 | retention.tables.statuses.days | reference table",
                "retention.tables._journal.days=30 | retention.tables._journal.days | system table",
                "retention.tables._sync_state.days=30 | retention.tables._sync_state.days | system table",
                "retention.tables.leads_tags.days=30 | retention.tables.leads_tags.days | set the rule on 'leads'",
                "retention.tables.lead_contacts.days=30 | retention.tables.lead_contacts.days | set the rule on 'leads'",
                "retention.tables.lead_status_history.days=30 | retention.tables.lead_status_history.days | analysis",
                "retention.tables.deals.days=30 | retention.tables.deals.days | not a table",
                "retention.tables.lead.days=30 | retention.tables.lead.days | did you mean 'leads'",
                // unknown, wrong-typed and unusable columns
                "retention.tables.leads.days=30;retention.tables.leads.column=created | retention.tables.leads.column | not a column",
                "retention.tables.leads.days=30;retention.tables.leads.column=name | retention.tables.leads.column | not a timestamp",
                "retention.tables.leads.days=30;retention.tables.leads.column=closed_at | retention.tables.leads.column | cannot judge age",
                "retention.tables.tasks.days=30;retention.tables.tasks.column=complete_till | retention.tables.tasks.column | cannot judge age",
                "retention.tables.events.days=30;retention.tables.events.column=updated_at | retention.tables.events.column | not a column",
                "retention.tables.leads.days=30;retention.tables.leads.column=_synced_at | retention.tables.leads.column | not a column",
                // N <= 0, not a number, missing
                "retention.tables.leads.days=0 | retention.tables.leads.days | greater than 0",
                "retention.tables.leads.days=-7 | retention.tables.leads.days | greater than 0",
                "retention.tables.leads.days=ninety | retention.tables.leads.days | whole number",
                "retention.tables.leads.column=updated_at | retention.tables.leads.days | missing",
                "retention.tables.leads.dayz=30 | retention.tables.leads.dayz | unknown config key",
                // maintenance settings
                "retention.vacuum-hours=24 | retention.vacuum-hours | vacuum-force",
                "retention.vacuum-hours=-1;retention.vacuum-force=true | retention.vacuum-hours | negative",
                "retention.log-days=5 | retention.log-days | vacuum-hours",
                "retention.log-days=0 | retention.log-days | greater than 0",
                "retention.optimize-min-files=1 | retention.optimize-min-files | at least 2",
                "retention.vacum-hours=200 | retention.vacum-hours | did you mean 'retention.vacuum-hours'",
            })
    void aBadRuleFailsWithOneLineNamingItsKey(String settings, String key, String says) {
        EtlException e = assertThrows(EtlException.class, () -> EtlConfig.load(null, pairs(settings)));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    @Test
    void aBadRuleInAFileIsNamedWithItsFileAndLine() throws Exception {
        Path f = dir.resolve("prod.conf");
        Files.writeString(f, "retention {\n  tables {\n    pipelines { days = 30 }\n  }\n}\n");
        EtlException e = assertThrows(EtlException.class, () -> EtlConfig.load(f, Map.of()));
        assertTrue(
                e.getMessage().contains("'retention.tables.pipelines.days'")
                        && e.getMessage().contains("prod.conf: 3"),
                e.getMessage());
    }

    @Test
    void rulesTakeTheDocumentedDefaultColumns() {
        RetentionSettings r = EtlConfig.load(
                        null,
                        pairs("retention.tables.events.days=90;retention.tables.notes.days=180;"
                                + "retention.tables.tasks.days=30;retention.tables.unsorted.days=30;retention.tables.leads.days=365;"
                                + "retention.tables.customers.days=365;retention.tables.contacts.days=365;"
                                + "retention.tables.contacts.column=created_at"))
                .retention();
        assertEquals("created_at", r.rule("events").column());
        assertEquals("created_at", r.rule("notes").column());
        assertEquals("created_at", r.rule("tasks").column());
        assertEquals("created_at", r.rule("unsorted").column());
        assertEquals("updated_at", r.rule("leads").column());
        assertEquals("updated_at", r.rule("customers").column());
        assertEquals("created_at", r.rule("contacts").column(), "the configured column wins");
        assertEquals(365, r.rule("leads").days());
        assertNull(r.rule("companies"), "a table without a rule has none");
        assertEquals("updated_at", r.column("companies"), "the default column of a table without a rule");
    }

    @Test
    void theDefaultsAreDeltasOwn() {
        RetentionSettings r = EtlConfig.load(null, Map.of()).retention();
        assertTrue(r.rules().isEmpty(), "no table is touched by default");
        assertEquals(168, r.vacuumHours());
        assertFalse(r.vacuumForce());
        assertEquals(30, r.logDays());
        assertEquals(10, r.optimizeMinFiles());
    }

    @Test
    void aForcedShortVacuumIsAccepted() {
        RetentionSettings r = EtlConfig.load(null, pairs("retention.vacuum-hours=0;retention.vacuum-force=true"))
                .retention();
        assertEquals(0, r.vacuumHours());
        assertTrue(r.vacuumForce());
    }

    @Test
    void theCutoffIsTheStartOfTheDayNDaysBack() {
        RetentionSettings.Rule rule = new RetentionSettings.Rule("leads", 90, "updated_at");
        assertEquals(Instant.parse("2025-04-01T00:00:00Z"), rule.cutoff(Instant.parse("2025-06-30T12:00:00.750Z")));
        assertEquals(Instant.parse("2025-04-01T00:00:00Z"), rule.cutoff(Instant.parse("2025-06-30T00:00:00Z")));
        assertEquals(
                Instant.parse("2025-04-01T00:00:00Z"),
                rule.cutoff(Instant.parse("2025-06-30T23:59:59.999Z")),
                "every run of a day agrees");
        assertEquals(Instant.parse("2025-04-02T00:00:00Z"), rule.cutoff(Instant.parse("2025-07-01T00:00:00Z")));
    }

    static Map<String, String> pairs(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : s.split(";")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return out;
    }
}
