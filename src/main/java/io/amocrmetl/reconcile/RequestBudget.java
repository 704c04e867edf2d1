package io.amocrmetl.reconcile;

/**
 * A run's request budget ({@code --max-requests}): what was spent, and whether more may start.
 * Scans are planned to fit it ({@link Rotation}); re-reads and repairs spend what is left, and
 * whatever does not fit is left for the next run.
 */
final class RequestBudget {
    private final Long max;
    private long spent;
    private String stoppedBy;

    RequestBudget(Long max) {
        this.max = max;
    }

    boolean limited() {
        return max != null;
    }

    void spend(long n) {
        spent += n;
    }

    long spent() {
        return spent;
    }

    /** What is left (Long.MAX_VALUE without a budget). */
    long left() {
        return max == null ? Long.MAX_VALUE : Math.max(0, max - spent);
    }

    /** Whether {@code n} more requests fit; the first "no" is remembered for the report. */
    boolean allows(long n, String what) {
        if (left() >= n) {
            return true;
        }
        if (stoppedBy == null) {
            stoppedBy = "--max-requests " + max + " reached before " + what;
        }
        return false;
    }

    void stop(String why) {
        if (stoppedBy == null) {
            stoppedBy = why;
        }
    }

    /** Why the run left work for the next one, or null. */
    String stoppedBy() {
        return stoppedBy;
    }

    Long max() {
        return max;
    }
}
