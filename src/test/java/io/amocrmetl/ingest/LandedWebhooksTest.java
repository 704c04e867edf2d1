package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.ingest.DeletesLoad.Signal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which unapplied webhook signals keep the landing files (docs/webhooks.md: applying): a table
 * disabled in the config is never loaded, so its signals are ignored and the files are archived;
 * an enabled table this run does not load (a {@code --tables} subset) keeps them for the next run.
 */
class LandedWebhooksTest {
    static Signal delete(String table, long id) {
        return new Signal(table, String.valueOf(id), 1_700_000_000L, DeletesLoad.WEBHOOK, "delivery d" + id, true);
    }

    /** The config a user writes: tasks off, everything else as shipped. */
    static final EtlConfig TASKS_OFF = EtlConfig.load(null, Map.of("tables.tasks.enabled", "false"));

    @Test
    void signalsOfADisabledTableKeepNoFiles() {
        List<Signal> signals = List.of(delete("leads", 1), delete("tasks", 2), delete("tasks", 3));
        LandedWebhooks.Unapplied u =
                LandedWebhooks.Unapplied.of(signals, Set.of("leads", "contacts"), TASKS_OFF.tables());
        assertEquals(Set.of(), u.waiting(), "nothing keeps the files: they are archived");
        assertEquals(Map.of("tasks", 2), u.ignored(), "counted as ignored");
    }

    @Test
    void signalsOfAnEnabledTableNotLoadedThisRunKeepTheFiles() {
        List<Signal> signals = List.of(delete("leads", 1), delete("contacts", 4), delete("tasks", 2));
        LandedWebhooks.Unapplied u = LandedWebhooks.Unapplied.of(signals, Set.of("leads"), TASKS_OFF.tables());
        assertEquals(Set.of("contacts"), u.waiting(), "contacts is enabled: a --tables leads run keeps the files");
        assertEquals(Map.of("tasks", 1), u.ignored());
    }

    @Test
    void aDisabledTableARunLoadsAnywayApplies() {
        // `ingest --tables tasks` loads a table the config disables: its signals are applied.
        LandedWebhooks.Unapplied u =
                LandedWebhooks.Unapplied.of(List.of(delete("tasks", 2)), Set.of("tasks"), TASKS_OFF.tables());
        assertTrue(u.waiting().isEmpty() && u.ignored().isEmpty(), u.toString());
    }
}
