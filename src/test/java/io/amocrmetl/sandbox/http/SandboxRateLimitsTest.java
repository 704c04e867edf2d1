package io.amocrmetl.sandbox.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.http.RateLimits.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RateLimits#admit} judged with arrival times that reach its lock out of order, as they
 * do when connection threads take the start time before the lock (docs/amocrm-api.md §5.1: N request
 * starts in any sliding second).
 */
class SandboxRateLimitsTest {
    static final long MS = 1_000_000L;
    /** An arbitrary nanoTime origin, negative as nanoTime may be. */
    static final long T0 = -5_000_000_000L;

    private static RateLimits limits(int rps) {
        RateLimits l = new RateLimits();
        l.requestsPerSecond = rps;
        l.blockAfter429s = 1_000_000;
        return l;
    }

    private static Verdict at(RateLimits l, long millis) {
        return l.admit(T0 + millis * MS);
    }

    /**
     * In time order the rule is the plain one: the (N+1)th start inside a second is refused, and
     * refused starts count too (the server counts what reaches it).
     */
    @Test
    void inOrderArrivalsCountTheSecondBefore() {
        RateLimits l = limits(2);
        assertEquals(Verdict.PASS, at(l, 0));
        assertEquals(Verdict.PASS, at(l, 400));
        assertEquals(Verdict.LIMITED, at(l, 999));
        assertEquals(Verdict.LIMITED, at(l, 1_399), "(399, 1399] holds 400 and the refused 999");
        assertEquals(Verdict.PASS, at(l, 2_000), "(1000, 2000] holds only 1399");
    }

    /**
     * An earlier arrival judged after a later one: the old head-pruned deque kept 200 behind 500
     * and counted it at 1300, refusing a request that the real server (which sees 200, 500,
     * 1300 in time order) lets through.
     */
    @Test
    void aLateJudgedEarlierArrivalIsForgottenOnTime() {
        RateLimits l = limits(2);
        assertEquals(Verdict.PASS, at(l, 500));
        assertEquals(Verdict.PASS, at(l, 200));
        assertEquals(Verdict.PASS, at(l, 1_300), "(300, 1300] holds only 500");
    }

    /** An earlier arrival judged late is judged on its own past, not on later arrivals' count. */
    @Test
    void aLateJudgedArrivalPassesWhenEverySecondAroundItHasRoom() {
        RateLimits l = limits(2);
        assertEquals(Verdict.PASS, at(l, 1_000));
        assertEquals(Verdict.PASS, at(l, 2_200));
        // 0 arrived first in time; (-1000, 0] .. (999, 1999] hold at most 1000 besides it.
        assertEquals(Verdict.PASS, at(l, 0));
        assertEquals(Verdict.PASS, at(l, 1_500), "(500, 1500] holds 1000, (1200, 2200] holds 2200");
        assertEquals(Verdict.LIMITED, at(l, 1_600), "(600, 1600] holds 1000 and 1500");
    }

    /**
     * An earlier arrival judged late is refused when a second containing it already holds N
     * later arrivals, so served requests never exceed N in any second of the log.
     */
    @Test
    void aLateJudgedArrivalIsRefusedWhenALaterSecondIsFull() {
        RateLimits l = limits(2);
        assertEquals(Verdict.PASS, at(l, 600));
        assertEquals(Verdict.PASS, at(l, 900));
        assertEquals(Verdict.LIMITED, at(l, 100), "(-100, 900] would hold 100, 600 and 900");
    }

    /** Random jitter in the judging order never lets a second of served starts exceed N. */
    @Test
    void shuffledArrivalsNeverServeMoreThanNInAnySecond() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 50; round++) {
            RateLimits l = limits(7);
            // About 7 starts a second against a limit of 7, so some seconds overflow.
            long[] starts = new long[400];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = T0 + i * 140 * MS + rnd.nextLong(0, 140 * MS);
            }
            // Judge neighbours in swapped order now and then (connection threads racing to the lock).
            long[] judged = starts.clone();
            for (int i = 0; i + 1 < judged.length; i++) {
                if (rnd.nextInt(3) == 0) {
                    long t = judged[i];
                    judged[i] = judged[i + 1];
                    judged[i + 1] = t;
                }
            }
            List<Long> served = new ArrayList<>();
            for (long t : judged) {
                if (l.admit(t) == Verdict.PASS) {
                    served.add(t);
                }
            }
            long[] s = served.stream().mapToLong(Long::longValue).sorted().toArray();
            int lo = 0;
            for (int hi = 0; hi < s.length; hi++) {
                while (s[hi] - s[lo] >= 1_000 * MS) {
                    lo++;
                }
                assertTrue(hi - lo + 1 <= 7, "a second served " + (hi - lo + 1) + " in round " + round);
            }
            assertTrue(served.size() > starts.length / 4 && served.size() < starts.length, "served " + served.size());
        }
    }
}
