package io.amocrmetl.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.Fidelity;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.state.AccountProbes;
import io.amocrmetl.testing.SandboxConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code doctor --probe} reports every fidelity switch as the sandbox is set (docs/connecting.md):
 * each row sets the switches, makes the data the probes judge by (a
 * second shared by three leads, a link, a delete and restore), and checks every finding; across
 * the rows every switch takes each of its values.
 */
class ProbeIT {
    @TempDir
    Path dir;

    record Probed(AccountProbes probes, String out, int exit, long requests) {}

    /** A sandbox set by {@code switches}, with the data the probes need, probed by doctor (no Spark: findings kept in memory). */
    Probed probe(Consumer<Fidelity> switches) {
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(83).withLeads(60))) {
            switches.accept(sandbox.fidelity());
            AccountData a = sandbox.account();
            a.bulkUpdateSameSecond(3);
            List<Lead> leads = sandbox.groundTruth().leads().live().stream()
                    .sorted(Comparator.comparingLong(Lead::id))
                    .toList();
            Lead linked = leads.get(10);
            Contact contact = sandbox.groundTruth().contacts().live().stream()
                    .filter(c -> linked.contacts().stream().noneMatch(l -> l.contactId() == c.id()))
                    .findFirst()
                    .orElseThrow();
            a.link(linked.id(), contact.id(), false);
            a.delete("leads", leads.get(20).id());
            a.restore("leads", leads.get(20).id());
            sandbox.clock().advance(Duration.ofSeconds(1));
            Map<String, String> cfg = SandboxConfig.fast(sandbox, dir);
            cfg.put("lake.path", dir.resolve("lake").toString());
            AtomicReference<AccountProbes> recorded = new AtomicReference<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long before = sandbox.requests().total();
            int exit = Doctor.run(
                    () -> EtlConfig.load(null, cfg),
                    true,
                    (c, account, p) -> {
                        recorded.set(p);
                        return "memory";
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    Clock.systemUTC());
            String text = out.toString(StandardCharsets.UTF_8);
            System.out.print(text);
            return new Probed(recorded.get(), text, exit, sandbox.requests().total() - before);
        }
    }

    @ParameterizedTest(name = "from {0}, to {1}, ties reversed {2}, events {3}, link bumps {4}, restore bumps {5}")
    @CsvSource({
        "true,  true,  false, 100, true,  true",
        "false, true,  true,  250, false, false",
        "true,  false, false, 250, true,  false",
        "false, false, true,  100, false, true",
    })
    void everySwitchIsReportedAsSet(
            boolean from, boolean to, boolean tiesReversed, int eventsPage, boolean linkBumps, boolean restoreBumps) {
        Probed p = probe(f -> {
            f.fromInclusive = from;
            f.toInclusive = to;
            f.tiesReversed = tiesReversed;
            f.eventsPageMax = eventsPage;
            f.linkBumpsUpdatedAt = linkBumps;
            f.restoreBumpsUpdatedAt = restoreBumps;
        });
        assertEquals(0, p.exit(), p.out());
        AccountProbes found = p.probes();
        assertEquals(true, found.filtersHonoured());
        assertEquals(from, found.fromInclusive(), p.out());
        assertEquals(to, found.toInclusive(), p.out());
        assertEquals(tiesReversed ? AccountProbes.TIES_ID_DESC : AccountProbes.TIES_ID_ASC, found.ties(), p.out());
        assertEquals(eventsPage, found.eventsPageMax(), p.out());
        assertEquals(linkBumps, found.linkBumpsUpdatedAt(), p.out());
        assertEquals(restoreBumps, found.restoreBumpsUpdatedAt(), p.out());
        assertTrue(
                p.out()
                        .contains("probe    bounds        filter[...][from] is " + (from ? "inclusive" : "exclusive")
                                + ", [to] is " + (to ? "inclusive" : "exclusive")),
                p.out());
        assertTrue(p.out().contains("probe    link-bumps    " + (linkBumps ? "yes" : "no")), p.out());
        assertTrue(
                found.requests() <= Probes.BUDGET && p.requests() <= Probes.BUDGET + 6,
                "a small budget: " + found.requests() + " probe requests, " + p.requests() + " in all");
    }

    /** Filters honoured, claimed but ignored, and off as the account reports: each is told apart. */
    @ParameterizedTest(name = "reported {0}, honoured {1}")
    @CsvSource({"true, true", "true, false", "false, false"})
    void filtersAreReportedAsTheyBehaveNotAsClaimed(boolean reported, boolean honoured) {
        Probed p = probe(f -> {
            f.apiFilterEnabled = reported;
            f.honourFilters = honoured;
        });
        AccountProbes found = p.probes();
        assertEquals(reported, found.apiFilterFlag());
        assertEquals(honoured, found.filtersHonoured(), p.out());
        assertEquals(AccountProbes.TIES_ID_ASC, found.ties(), "ties are found without filters too: " + p.out());
        if (!honoured) {
            assertTrue(
                    p.out().contains("probe    filters       ignored")
                            && p.out().contains("If-Modified-Since"),
                    p.out());
            assertEquals(null, found.fromInclusive(), "bounds mean nothing where filters are ignored");
        }
        assertEquals(0, p.exit(), "filters off is a warning, not an error: " + p.out());
    }

    /** Doctor's clock check reads the server's Date: a server 5 minutes ahead is a warning. */
    @Test
    void aServerClockAheadIsAWarning() {
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(84).withLeads(20))) {
            sandbox.clock().advance(Duration.ofMinutes(5));
            Map<String, String> cfg = SandboxConfig.fast(sandbox, dir);
            cfg.put("lake.path", dir.resolve("lake").toString());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = Doctor.run(
                    () -> EtlConfig.load(null, cfg),
                    false,
                    null,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    Clock.systemUTC());
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, exit, text);
            assertTrue(
                    text.contains("warning  clock         this host is 300 s behind the server's Date")
                            || text.contains("warning  clock         this host is 299 s behind the server's Date"),
                    text);
        }
    }
}
