package io.amocrmetl.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Entities;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Planning without Spark: windows, modes, endpoints, partitions and rate shares (issue "reader, part 2"). */
class ReadPlannerTest {
    static final AccountContext ACCOUNT = new AccountContext(1, true, "dynamic", List.of(5001L, 5002L), Instant.ofEpochSecond(10_000));

    @Test
    void windowsCoverTheRangeWithoutGapsAndAnOpenEndStaysOpen() {
        List<long[]> w = ReadPlanner.windows(1000L, 1999L, 5000, 300);
        assertEquals(4, w.size());
        assertArrayEquals(new long[] {1000, 1299}, w.get(0));
        assertArrayEquals(new long[] {1900, 1999}, w.get(3));
        for (int i = 1; i < w.size(); i++) {
            assertEquals(w.get(i - 1)[1] + 1, w.get(i)[0], "contiguous, owned seconds never overlap");
        }
        List<long[]> open = ReadPlanner.windows(1000L, null, 1500, 300);
        assertEquals(Long.MAX_VALUE, open.get(open.size() - 1)[1], "an open read's last window stays open");
        assertEquals(1, ReadPlanner.windows(null, null, 1500, 300).size());
        assertEquals(1, ReadPlanner.windows(1000L, 1100L, 5000, 300).size(), "a small read is one window");
    }

    @Test
    void sharesAreWholeNeverZeroAndSumToTheBudget() {
        for (int budget = 1; budget <= 7; budget++) {
            for (int tasks = 1; tasks <= 30; tasks++) {
                Pushdown p = new Pushdown();
                p.cursor(0L, (long) tasks * 100 - 1);
                ReadPlanner.Plan plan = ReadPlanner.plan(Entities.get("tasks"), p, ACCOUNT, List.of(), 100, budget, 16, null);
                assertEquals(Math.min(tasks, budget), plan.partitions().size(), "never more partitions than shares");
                assertTrue(Arrays.stream(plan.shares()).allMatch(s -> s >= 1), "no share is 0");
                assertEquals(budget, Arrays.stream(plan.shares()).sum(), "the shares use the whole budget, no more");
                assertEquals(tasks, plan.partitions().stream().flatMap(List::stream).mapToInt(t -> 1).sum(),
                        "paged windows are not merged: every window planned once");
            }
        }
    }

    @Test
    void keysetWindowsOfAPartitionMergeIntoOneSweep() {
        Pushdown p = new Pushdown();
        p.cursor(0L, 999L);
        ReadPlanner.Plan plan = ReadPlanner.plan(Entities.get("leads"), p, ACCOUNT, List.of(), 100, 3, 3, null);
        assertEquals(3, plan.partitions().size());
        assertEquals(List.of("0-399", "400-699", "700-999"), plan.partitions().stream()
                .map(l -> l.get(0).from() + "-" + l.get(0).to()).toList(), "contiguous stretches, one task each");
    }

    @Test
    void modesFollowTheEntityAndTheAccount() {
        Pushdown p = new Pushdown();
        p.cursor(100L, 200L);
        assertEquals(ReadTask.Mode.KEYSET, ReadPlanner.plan(Entities.get("leads"), p, ACCOUNT, List.of(), 1000, 6, 2, null).tasks().get(0).mode());
        AccountContext off = new AccountContext(1, false, "dynamic", List.of(), Instant.ofEpochSecond(10_000));
        assertEquals(ReadTask.Mode.KEYSET_IMS, ReadPlanner.plan(Entities.get("contacts"), p, off, List.of(), 1000, 6, 2, null).tasks().get(0).mode());
        assertEquals(ReadTask.Mode.PAGED, ReadPlanner.plan(Entities.get("tasks"), p, ACCOUNT, List.of(), 1000, 6, 2, null).tasks().get(0).mode());
        assertEquals(ReadTask.Mode.LIST, ReadPlanner.plan(Entities.get("users"), new Pushdown(), ACCOUNT, List.of(), 1000, 6, 2, null).tasks().get(0).mode());
        Pushdown ids = new Pushdown();
        ids.ids(List.of("1", "2"));
        assertEquals(ReadTask.Mode.IDS, ReadPlanner.plan(Entities.get("leads"), ids, ACCOUNT, List.of(), 1000, 6, 2, null).tasks().get(0).mode());
    }

    @Test
    void endpointsFollowEntityTypesListsAndCustomersMode() {
        Pushdown p = new Pushdown();
        assertEquals(4, ReadPlanner.endpoints(Entities.get("notes"), p, ACCOUNT).size());
        p.entityTypes = Set.of("leads");
        assertEquals(List.of("/api/v4/leads/notes"), ReadPlanner.endpoints(Entities.get("notes"), p, ACCOUNT).stream()
                .map(e -> e.path()).toList());
        AccountContext noCustomers = new AccountContext(1, true, "unavailable", List.of(), Instant.EPOCH);
        assertEquals(3, ReadPlanner.endpoints(Entities.get("notes"), new Pushdown(), noCustomers).size());
        assertEquals(2, ReadPlanner.endpoints(Entities.get("catalog_elements"), new Pushdown(), ACCOUNT).size());
        assertEquals(6, ReadPlanner.endpoints(Entities.get("custom_fields"), new Pushdown(), ACCOUNT).size());
    }

    @Test
    void anEmptyPushdownPlansNoRequest() {
        Pushdown p = new Pushdown();
        p.cursor(200L, 100L);
        assertTrue(ReadPlanner.plan(Entities.get("leads"), p, ACCOUNT, List.of(), 1000, 6, 2, null).tasks().isEmpty());
    }

    @Test
    void timestampBoundsRoundInward() {
        assertArrayEquals(new Long[] {10L, null}, FilterTranslator.range(">=", 10_000_000));
        assertArrayEquals(new Long[] {11L, null}, FilterTranslator.range(">=", 10_000_001));
        assertArrayEquals(new Long[] {11L, null}, FilterTranslator.range(">", 10_000_000));
        assertArrayEquals(new Long[] {null, 10L}, FilterTranslator.range("<=", 10_999_999));
        assertArrayEquals(new Long[] {null, 9L}, FilterTranslator.range("<", 10_000_000));
        Long[] eq = FilterTranslator.range("=", 10_500_000);
        assertTrue(eq[0] > eq[1], "a fractional second matches no whole second");
    }
}
