package io.amocrmetl.ingest;

/**
 * Named places where a test may kill a run (DESIGN.md "Crash safety"): does nothing unless the
 * system property {@value #PROPERTY} names the point, and then halts the JVM at once, as
 * {@code kill -9} would, with no shutdown hook and no flush.
 */
public final class CrashPoint {
    public static final String PROPERTY = "amocrm.crash-point";
    /** After a child table's commit, before its parent's. */
    public static final String AFTER_CHILD_COMMIT = "after-child-commit";
    /** After the parent's commit, before the watermark's. */
    public static final String AFTER_PARENT_COMMIT = "after-parent-commit";
    /** Between two windows of a historical load. */
    public static final String MID_HISTORICAL = "mid-historical";

    private CrashPoint() {
    }

    public static void reach(String point) {
        String wanted = System.getProperty(PROPERTY);
        if (wanted != null && wanted.equals(point)) {
            System.err.println("amocrm-etl: crash point '" + point + "' reached; halting");
            Runtime.getRuntime().halt(137);
        }
    }
}
