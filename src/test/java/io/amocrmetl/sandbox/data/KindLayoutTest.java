package io.amocrmetl.sandbox.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KindLayoutTest {
    private static final long DAY = 86_400;

    @ParameterizedTest
    @ValueSource(ints = {10, 37, 1000, 100_000})
    void keysAreMonotoneIdsInvertAndUpdatedFollowsCreated(int n) {
        KindLayout l = new KindLayout(7, 1, n, 30_000_001, 5, 1_600_000_000L, 365 * DAY, 3 * DAY);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            long id = l.id(i);
            assertTrue(ids.add(id), "duplicate id " + id);
            assertEquals(i, l.indexOf(id), "indexOf(id(" + i + "))");
            assertTrue(l.updatedAt(i) >= l.createdAt(i), "updated before created at " + i);
            if (i > 0) {
                assertTrue(l.id(i) > l.id(i - 1), "ids not increasing at " + i);
                assertTrue(l.createdAt(i) >= l.createdAt(i - 1), "created_at decreases at " + i);
                assertTrue(l.updatedAt(i) >= l.updatedAt(i - 1), "updated_at decreases at " + i);
            }
        }
        assertTrue(l.id(n - 1) > (1L << 32), "the tail must carry ids above 2^32");
        assertTrue(l.id(0) < Integer.MAX_VALUE);
        assertEquals(-1, l.indexOf(l.id(0) + 1 == l.id(1) ? -5 : l.id(0) + 1));
        assertTrue(l.updatedAt(n - 1) <= l.end());
    }

    @ParameterizedTest
    @ValueSource(longs = {1_600_000_000L, 1_600_000_000L + 100 * DAY, 1_600_000_000L + 400 * DAY})
    void lowerBoundFindsTheFirstKeyAtOrAfter(long ts) {
        KindLayout l = new KindLayout(3, 2, 5000, 1, 3, 1_600_000_000L, 365 * DAY, DAY);
        int i = l.lowerBound(l::updatedAt, ts);
        if (i < l.n) {
            assertTrue(l.updatedAt(i) >= ts);
        }
        if (i > 0) {
            assertTrue(l.updatedAt(i - 1) < ts);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2_000_000})
    void twoMillionLeadsNeedNoStorage(int n) {
        KindLayout l = new KindLayout(11, 1, n, 30_000_001, 5, 1_500_000_000L, 730 * DAY, 3 * DAY);
        for (int i = 1; i < n; i += 997) {
            assertTrue(l.updatedAt(i) >= l.updatedAt(i - 1));
            assertEquals(i, l.indexOf(l.id(i)));
        }
    }
}
