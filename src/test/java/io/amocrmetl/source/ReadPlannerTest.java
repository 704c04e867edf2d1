package io.amocrmetl.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Entities;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Planning without Spark or HTTP: budgets, windows, modes, endpoints, partitions and rate shares. */
class ReadPlannerTest {
    static final AccountContext ACCOUNT =
            new AccountContext(1, true, "dynamic", List.of(5001L, 5002L), Instant.ofEpochSecond(10_000));

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
                ReadPlanner.Plan plan =
                        ReadPlanner.plan(Entities.get("tasks"), p, ACCOUNT, List.of(), 100, budget, 16, null);
                assertEquals(Math.min(tasks, budget), plan.partitions().size(), "never more partitions than shares");
                assertTrue(Arrays.stream(plan.shares()).allMatch(s -> s >= 1), "no share is 0");
                assertEquals(budget, Arrays.stream(plan.shares()).sum(), "the shares use the whole budget, no more");
                assertEquals(
                        tasks,
                        plan.partitions().stream()
                                .flatMap(List::stream)
                                .mapToInt(t -> 1)
                                .sum(),
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
        assertEquals(
                List.of("0-399", "400-699", "700-999"),
                plan.partitions().stream()
                        .map(l -> l.get(0).from() + "-" + l.get(0).to())
                        .toList(),
                "contiguous stretches, one task each");
    }

    @Test
    void modesFollowTheEntityAndTheAccount() {
        Pushdown p = new Pushdown();
        p.cursor(100L, 200L);
        assertEquals(
                ReadTask.Mode.KEYSET,
                ReadPlanner.plan(Entities.get("leads"), p, ACCOUNT, List.of(), 1000, 6, 2, null)
                        .tasks()
                        .get(0)
                        .mode());
        AccountContext off = new AccountContext(1, false, "dynamic", List.of(), Instant.ofEpochSecond(10_000));
        assertEquals(
                ReadTask.Mode.KEYSET_IMS,
                ReadPlanner.plan(Entities.get("contacts"), p, off, List.of(), 1000, 6, 2, null)
                        .tasks()
                        .get(0)
                        .mode());
        assertEquals(
                ReadTask.Mode.PAGED,
                ReadPlanner.plan(Entities.get("tasks"), p, ACCOUNT, List.of(), 1000, 6, 2, null)
                        .tasks()
                        .get(0)
                        .mode());
        assertEquals(
                ReadTask.Mode.LIST,
                ReadPlanner.plan(Entities.get("users"), new Pushdown(), ACCOUNT, List.of(), 1000, 6, 2, null)
                        .tasks()
                        .get(0)
                        .mode());
        for (AccountContext account : List.of(ACCOUNT, off)) {
            assertEquals(
                    ReadTask.Mode.KEYSET,
                    ReadPlanner.plan(Entities.get("unsorted"), p, account, List.of(), 1000, 6, 2, null)
                            .tasks()
                            .get(0)
                            .mode(),
                    "unsorted comes sorted by created_at, filters or not");
        }
        assertEquals(
                ReadTask.Mode.LIST,
                ReadPlanner.plan(Entities.get("customers"), p, off, List.of(), 1000, 6, 2, null)
                        .tasks()
                        .get(0)
                        .mode(),
                "filters off and no If-Modified-Since: the whole list");
        assertEquals(
                ReadTask.Mode.PAGED,
                ReadPlanner.plan(Entities.get("customers"), p, ACCOUNT, List.of(), 1000, 6, 2, null)
                        .tasks()
                        .get(0)
                        .mode());
        Pushdown ids = new Pushdown();
        ids.ids(List.of("1", "2"));
        assertEquals(
                ReadTask.Mode.IDS,
                ReadPlanner.plan(Entities.get("leads"), ids, ACCOUNT, List.of(), 1000, 6, 2, null)
                        .tasks()
                        .get(0)
                        .mode());
    }

    @Test
    void endpointsFollowEntityTypesListsAndCustomersMode() {
        Pushdown p = new Pushdown();
        assertEquals(4, ReadPlanner.endpoints(Entities.get("notes"), p, ACCOUNT).size());
        p.entityTypes = Set.of("leads");
        assertEquals(
                List.of("/api/v4/leads/notes"),
                ReadPlanner.endpoints(Entities.get("notes"), p, ACCOUNT).stream()
                        .map(e -> e.path())
                        .toList());
        AccountContext noCustomers = new AccountContext(1, true, "unavailable", List.of(), Instant.EPOCH);
        assertEquals(
                3,
                ReadPlanner.endpoints(Entities.get("notes"), new Pushdown(), noCustomers)
                        .size());
        assertEquals(
                2,
                ReadPlanner.endpoints(Entities.get("catalog_elements"), new Pushdown(), ACCOUNT)
                        .size());
        assertEquals(
                6,
                ReadPlanner.endpoints(Entities.get("custom_fields"), new Pushdown(), ACCOUNT)
                        .size());
    }

    @Test
    void anEmptyPushdownPlansNoRequest() {
        Pushdown p = new Pushdown();
        p.cursor(200L, 100L);
        assertTrue(ReadPlanner.plan(Entities.get("leads"), p, ACCOUNT, List.of(), 1000, 6, 2, null)
                .tasks()
                .isEmpty());
    }

    @Test
    void theBudgetIsTheWholeRateLocallyAndLeavesTheDriverOneOnACluster() {
        assertEquals(7, ReadPlanner.budget(false, 7, true, 16), "local: the partitions join this JVM's limiter");
        assertEquals(
                6, ReadPlanner.budget(false, 7, false, 16), "cluster: one request per second stays with the driver");
        assertEquals(1, ReadPlanner.budget(false, 1, false, 16), "never below one");
        assertEquals(16, ReadPlanner.budget(true, 7, false, 16), "unlimited: a share per running task");
        assertEquals(1, ReadPlanner.budget(true, 7, true, 0));
    }

    @Test
    void partitionsAskedForAreCappedByTheBudgetAndTheWork() {
        Pushdown p = new Pushdown();
        p.cursor(0L, 999L);
        ReadPlanner.Plan capped = ReadPlanner.plan(Entities.get("tasks"), p, ACCOUNT, List.of(), 100, 4, 16, 9);
        assertEquals(4, capped.partitions().size(), "no more partitions than whole shares");
        assertArrayEquals(new int[] {1, 1, 1, 1}, capped.shares());
        ReadPlanner.Plan asked = ReadPlanner.plan(Entities.get("tasks"), p, ACCOUNT, List.of(), 100, 7, 16, 2);
        assertEquals(2, asked.partitions().size());
        assertEquals(7, Arrays.stream(asked.shares()).sum(), "two partitions share the whole budget");
        assertEquals(List.of(5, 5), asked.partitions().stream().map(List::size).toList(), "balanced by count");
        ReadPlanner.Plan small = ReadPlanner.plan(Entities.get("tasks"), p, ACCOUNT, List.of(), 1000, 7, 16, 4);
        assertEquals(1, small.partitions().size(), "one window: one partition, with the whole budget");
        assertArrayEquals(new int[] {7}, small.shares());
        ReadPlanner.Plan serial = ReadPlanner.plan(Entities.get("tasks"), p, ACCOUNT, List.of(), 100, 7, 1, null);
        assertEquals(1, serial.partitions().size(), "without a partitions option: Spark's parallelism");
    }

    @Test
    void windowEdges() {
        List<long[]> seconds = ReadPlanner.windows(10L, 12L, 5000, 1);
        assertEquals(3, seconds.size(), "one-second windows");
        assertArrayEquals(new long[] {12, 12}, seconds.get(2));
        assertArrayEquals(
                new long[] {1000, 1299},
                ReadPlanner.windows(1000L, 1299L, 5000, 300).get(0));
        assertEquals(1, ReadPlanner.windows(1000L, 1299L, 5000, 300).size(), "exactly one window long");
        assertEquals(2, ReadPlanner.windows(1000L, 1300L, 5000, 300).size(), "a second more: two");
        List<long[]> future = ReadPlanner.windows(9000L, null, 5000, 300);
        assertEquals(1, future.size(), "an open read starting after now is one open window");
        assertArrayEquals(new long[] {9000, Long.MAX_VALUE}, future.get(0));
        assertArrayEquals(
                new long[] {Long.MIN_VALUE, 500},
                ReadPlanner.windows(null, 500L, 5000, 300).get(0),
                "no lower bound: one window, since where it would start is unknown");
    }

    @Test
    void windowsStartNoEarlierThanTheAccount() {
        AccountContext young = new AccountContext(1, true, "dynamic", List.of(), Instant.ofEpochSecond(10_000), 9_000L);
        Pushdown p = new Pushdown();
        p.cursor(0L, 9_999L);
        ReadPlanner.Plan plan = ReadPlanner.plan(Entities.get("tasks"), p, young, List.of(), 500, 1, 1, null);
        assertEquals(2, plan.tasks().size(), "no empty requests for the years before the account existed");
        assertEquals(9_000L, plan.tasks().get(0).from());
        assertEquals(9_999L, plan.tasks().get(1).to());
    }

    @Test
    void keysetWindowsMergeOnlyWhenAdjacentOnOneEndpoint() {
        ReadTask a = new ReadTask("/api/v4/leads", Map.of(), ReadTask.Mode.KEYSET, 0L, 99L, List.of(), Map.of(), null);
        ReadTask b =
                new ReadTask("/api/v4/leads", Map.of(), ReadTask.Mode.KEYSET, 100L, 199L, List.of(), Map.of(), null);
        ReadTask gap =
                new ReadTask("/api/v4/leads", Map.of(), ReadTask.Mode.KEYSET, 300L, 399L, List.of(), Map.of(), null);
        ReadTask other =
                new ReadTask("/api/v4/contacts", Map.of(), ReadTask.Mode.KEYSET, 400L, 499L, List.of(), Map.of(), null);
        List<ReadTask> merged = ReadPlanner.merge(List.of(a, b, gap, other));
        assertEquals(3, merged.size());
        assertEquals(0L, merged.get(0).from());
        assertEquals(199L, merged.get(0).to());
        ReadTask p1 = new ReadTask("/api/v4/tasks", Map.of(), ReadTask.Mode.PAGED, 0L, 99L, List.of(), Map.of(), null);
        ReadTask p2 =
                new ReadTask("/api/v4/tasks", Map.of(), ReadTask.Mode.PAGED, 100L, 199L, List.of(), Map.of(), null);
        assertEquals(2, ReadPlanner.merge(List.of(p1, p2)).size(), "paged windows stay apart: each is checked");
    }

    @Test
    void theAccountIsOneObjectAndPushedParametersTravelWithEveryTask() {
        ReadPlanner.Plan account =
                ReadPlanner.plan(Entities.get("account"), new Pushdown(), ACCOUNT, List.of(), 1000, 7, 4, null);
        assertEquals(1, account.tasks().size());
        assertEquals(ReadTask.Mode.OBJECT, account.tasks().get(0).mode());
        Pushdown p = new Pushdown();
        p.cursor(0L, 199L);
        p.created(50L, 60L);
        ReadPlanner.Plan plan = ReadPlanner.plan(Entities.get("tasks"), p, ACCOUNT, List.of("x"), 100, 7, 4, null);
        for (ReadTask t : plan.tasks()) {
            assertEquals(
                    List.of("with=x", "filter[created_at][from]=49", "filter[created_at][to]=61"),
                    t.params().stream().map(kv -> kv[0] + "=" + kv[1]).toList(),
                    "created_at one second wider each side");
        }
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
