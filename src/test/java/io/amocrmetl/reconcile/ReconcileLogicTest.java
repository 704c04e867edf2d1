package io.amocrmetl.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.cli.EtlMain;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.config.ReconcileSettings;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.state.SyncState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The judged range, the rotation, the slice diff and the key verdicts: reconciliation's logic without Spark. */
class ReconcileLogicTest {
    static final long T = 1_000_000;

    static SyncState.Entry state(Long coverage, Long watermark, Long cutoff) {
        return new SyncState.Entry(
                "leads",
                watermark == null ? null : Instant.ofEpochSecond(watermark),
                coverage == null ? null : Instant.ofEpochSecond(coverage),
                cutoff == null ? null : Instant.ofEpochSecond(cutoff),
                null,
                null);
    }

    @Test
    void theRangeIsTheCoverageClippedAtTheRetentionCutoff() {
        assertEquals(new JudgedRange(100, 900), JudgedRange.of("leads", state(100L, 900L, null), null, null));
        assertEquals(new JudgedRange(500, 900), JudgedRange.of("leads", state(100L, 900L, 500L), null, null));
        assertEquals(new JudgedRange(100, 900), JudgedRange.of("leads", state(100L, 900L, 50L), null, null));
        assertNull(JudgedRange.of("leads", state(null, null, null), null, null), "never loaded: nothing to judge");
        assertNull(JudgedRange.of("leads", state(100L, 900L, 950L), null, null), "retention removed it all");
        assertEquals(
                new JudgedRange(600, 700),
                JudgedRange.of(
                        "leads", state(100L, 900L, 500L), Instant.ofEpochSecond(600), Instant.ofEpochSecond(700)));
    }

    @Test
    void aRangeOutsideTheCoverageIsRefusedSayingWhy() {
        EtlException before = assertThrows(
                EtlException.class,
                () -> JudgedRange.of("leads", state(100L, 900L, null), Instant.ofEpochSecond(50), null));
        assertEquals(ExitCode.BAD_CONFIG, before.exitCode());
        assertTrue(
                before.getMessage().contains("coverage of leads")
                        && before.getMessage().contains("ingest --from"),
                before.getMessage());
        EtlException retained = assertThrows(
                EtlException.class,
                () -> JudgedRange.of("leads", state(100L, 900L, 500L), Instant.ofEpochSecond(300), null));
        assertTrue(retained.getMessage().contains("retention cut-off"), retained.getMessage());
        EtlException after = assertThrows(
                EtlException.class,
                () -> JudgedRange.of("leads", state(100L, 900L, null), null, Instant.ofEpochSecond(950)));
        assertTrue(after.getMessage().contains("watermark"), after.getMessage());
        assertThrows(
                EtlException.class,
                () -> JudgedRange.of("leads", state(null, null, null), Instant.ofEpochSecond(1), null));
        assertThrows(
                EtlException.class,
                () -> JudgedRange.of(
                        "leads", state(100L, 900L, null), Instant.ofEpochSecond(800), Instant.ofEpochSecond(700)));
    }

    static List<Period> periods(int n) {
        List<Period> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Period("p" + i, i * 100L, i * 100L + 99));
        }
        return out;
    }

    @Test
    void aBudgetTakesWholePeriodsFromTheCursorAndTheRotationGoesRound() {
        List<Period> p = periods(5);
        long[] rows = {300, 200, 600, 10, 0};
        // 4 requests: 300 rows (2 pages) + 2 fit; 500 rows (2 pages) + 2 fit too; 1100 rows do not.
        Rotation.Plan a = Rotation.plan(p, rows, null, 250, 4L);
        assertEquals(0, a.first());
        assertEquals(1, a.last());
        assertEquals(200L, a.nextCursor());
        Rotation.Plan b = Rotation.plan(p, rows, a.nextCursor(), 250, 5L);
        assertEquals(2, b.first());
        assertEquals(4, b.last(), "610 rows: 3 pages + 2");
        assertNull(b.nextCursor(), "the end: the next run starts over");
        Rotation.Plan c = Rotation.plan(p, rows, b.nextCursor(), 250, 3L);
        assertEquals(0, c.first());
        assertTrue(Rotation.plan(p, rows, 200L, 250, 3L).empty(), "600 rows do not fit 3 requests");
        assertEquals(
                2, Rotation.plan(p, rows, 250L, 250, 10L).first(), "a cursor inside a period starts at that period");
        assertEquals(0, Rotation.plan(p, rows, 10_000L, 250, 10L).first(), "a cursor past the range starts over");
        Rotation.Plan all = Rotation.plan(p, rows, 200L, 250, null);
        assertEquals(0, all.first());
        assertEquals(4, all.last());
        assertEquals(200L, all.nextCursor(), "without a budget the cursor stays");
        assertEquals(7, all.estimate());
    }

    @Test
    void slicesDifferByCountOrSumAndASliceOneSideLacksIsComparedWithNothing() {
        Slice a = new Slice("2025-04", 1, 10, 0);
        Slice b = new Slice("2025-04", 1, 10, 7);
        Slice c = new Slice("2025-05", 1, 142, 0);
        Slice d = new Slice("2025-05", 2, 142, 0);
        Map<Slice, Measures> lake = Map.of(
                a,
                new Measures(3, new BigDecimal("300.00")),
                b,
                new Measures(1, new BigDecimal("5")),
                c,
                new Measures(2, new BigDecimal("10.50")));
        Map<Slice, Measures> api = Map.of(
                a,
                new Measures(3, new BigDecimal("300")),
                b,
                new Measures(1, new BigDecimal("6")),
                c,
                new Measures(2, new BigDecimal("10.5")),
                d,
                new Measures(1, null));
        List<SliceDiff.Difference> diff = SliceDiff.diff(lake, api);
        assertEquals(
                List.of(b, d), diff.stream().map(SliceDiff.Difference::slice).toList());
        assertEquals(Measures.NONE, diff.get(1).lake());
        assertEquals("2025-05/2/142/0", d.key());
        assertTrue(SliceDiff.diff(Map.of(), Map.of(a, new Measures(0, null))).isEmpty(), "zero leads is no slice");
    }

    @Test
    void aKeyThatChangedSinceTheMomentIsLeftOutAndTheRestIsJudgedOnTheReread() {
        KeyState lake = new KeyState(T - 50, "h1", false);
        KeyState same = new KeyState(T - 50, "h1", false);
        KeyState edited = new KeyState(T - 50, "h2", false);
        KeyState newer = new KeyState(T + 3, "h3", false);
        assertEquals(
                KeyJudge.Verdict.MISMATCH, KeyJudge.judge(lake, edited, false, T), "same updated_at, other content");
        assertEquals(KeyJudge.Verdict.MISMATCH, KeyJudge.judge(lake, null, false, T), "gone without a signal");
        assertEquals(KeyJudge.Verdict.MISMATCH, KeyJudge.judge(null, edited, false, T), "missing from the lake");
        assertEquals(
                KeyJudge.Verdict.MISMATCH,
                KeyJudge.judge(new KeyState(T - 50, "h1", true), same, false, T),
                "deleted in the lake, listed by amoCRM");
        assertEquals(KeyJudge.Verdict.EXCLUDED, KeyJudge.judge(lake, newer, false, T), "updated during the check");
        assertEquals(
                KeyJudge.Verdict.EXCLUDED, KeyJudge.judge(lake, null, true, T), "deleted during the check (an event)");
        assertEquals(
                KeyJudge.Verdict.EXCLUDED,
                KeyJudge.judge(new KeyState(T, "h9", false), edited, false, T),
                "the lake row is newer than the moment");
        assertEquals(KeyJudge.Verdict.EXCLUDED, KeyJudge.judge(lake, same, false, T), "agrees when re-read");
        assertTrue(KeyState.same(new KeyState(1, "x", true), null), "deleted and absent are the same");
        assertEquals(Status.REPAIRED, KeyJudge.afterRepair(edited, edited, false, T));
        assertEquals(
                Status.REPAIRED, KeyJudge.afterRepair(lake, newer, false, T), "changed again: the next ingest follows");
        assertEquals(Status.STILL_DIFFERENT, KeyJudge.afterRepair(lake, edited, false, T));
        assertEquals(Status.STILL_DIFFERENT, Status.REPAIRED.worse(Status.STILL_DIFFERENT));
        assertEquals(Status.MISMATCH, Status.MISMATCH.worse(Status.OK));
        assertEquals("absent", KeyState.describe(null));
        assertTrue(KeyState.describe(new KeyState(0, "abcdef0123456789", true)).startsWith("deleted, updated_at 1970"));
    }

    @Test
    void theConfigKeysHaveDocumentedDefaultsAndABadValueNamesItsKey() {
        ReconcileSettings d = EtlConfig.load(null, Map.of()).reconcile();
        assertEquals("month", d.granularity());
        assertEquals(List.of("leads", "contacts", "companies", "tasks"), d.tables());
        assertTrue(d.repair());
        assertNull(d.maxRequests());
        assertEquals(
                40L,
                EtlConfig.load(null, Map.of("reconcile.max-requests", "40"))
                        .reconcile()
                        .maxRequests());
        for (Map.Entry<String, String> bad : Map.of(
                        "reconcile.granularity",
                        "year",
                        "reconcile.tables",
                        "[leads, notes]",
                        "reconcile.max-requests",
                        "0",
                        "reconcile.repair",
                        "maybe")
                .entrySet()) {
            EtlException e =
                    assertThrows(EtlException.class, () -> EtlConfig.load(null, Map.of(bad.getKey(), bad.getValue())));
            assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
            assertTrue(e.getMessage().contains("'" + bad.getKey() + "'"), e.getMessage());
        }
        EtlException noLeads =
                assertThrows(EtlException.class, () -> EtlConfig.load(null, Map.of("reconcile.tables", "[tasks]")));
        assertTrue(noLeads.getMessage().contains("must include leads"), noLeads.getMessage());
    }

    @Test
    void theCommandIsRegisteredWithItsOptions() {
        picocli.CommandLine cl = EtlMain.commandLine();
        picocli.CommandLine.ParseResult r = cl.parseArgs(
                "reconcile",
                "--from",
                "2025-01-01",
                "--to",
                "2025-03-31",
                "--granularity",
                "week",
                "--no-repair",
                "--max-requests",
                "500");
        picocli.CommandLine.ParseResult sub = r.subcommand();
        assertEquals("reconcile", sub.commandSpec().name());
        assertEquals(Boolean.FALSE, sub.matchedOptionValue("--repair", null));
        assertEquals("week", sub.matchedOptionValue("--granularity", null));
        assertEquals(500L, sub.<Long>matchedOptionValue("--max-requests", null));
        assertNull(
                EtlMain.commandLine().parseArgs("reconcile").subcommand().<Boolean>matchedOptionValue("--repair", null),
                "no option: the config decides");
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine bad = EtlMain.commandLine();
        bad.setErr(new java.io.PrintWriter(err));
        assertEquals(ExitCode.BAD_CONFIG.code, bad.execute("reconcile", "--granularity", "year"));
        assertTrue(err.toString().contains("--granularity must be month, week or day"), err.toString());
    }
}
