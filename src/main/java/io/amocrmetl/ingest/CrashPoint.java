package io.amocrmetl.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named places where a test may kill a run (docs/architecture.md): does nothing unless the
 * system property {@value #PROPERTY} names the point, and then halts the JVM at once, as
 * {@code kill -9} would, with no shutdown hook and no flush. {@code point:N} halts at the N-th time
 * the point is reached (a child table's commit happens once per child table), so seeded tests can
 * crash at different places of one run.
 */
public final class CrashPoint {
    public static final String PROPERTY = "amocrm.crash-point";
    /** After a child table's commit, before its parent's. */
    public static final String AFTER_CHILD_COMMIT = "after-child-commit";
    /** After the parent's commit, before the watermark's. */
    public static final String AFTER_PARENT_COMMIT = "after-parent-commit";
    /** Between two windows of a historical load. */
    public static final String MID_HISTORICAL = "mid-historical";

    private CrashPoint() {}

    private static final ConcurrentHashMap<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();

    public static void reach(String point) {
        String wanted = System.getProperty(PROPERTY);
        if (wanted == null || !wanted.startsWith(point)) {
            return;
        }
        int nth = 1;
        if (!wanted.equals(point)) {
            if (wanted.charAt(point.length()) != ':') {
                return;
            }
            nth = Integer.parseInt(wanted.substring(point.length() + 1));
        }
        if (REACHED.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet() == nth) {
            System.err.println("amocrm-etl: crash point '" + point + "' reached (time " + nth + "); halting");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
