package io.amocrmetl.reconcile;

/** A result's status in {@code _reconciliation} (docs/reconciliation.md). */
enum Status {
    OK("ok"),
    MISMATCH("mismatch"),
    REPAIRED("repaired"),
    STILL_DIFFERENT("still-different");

    final String text;

    Status(String text) {
        this.text = text;
    }

    /** The worse of two: still-different, then mismatch, then repaired, then ok. */
    Status worse(Status o) {
        return rank() >= o.rank() ? this : o;
    }

    private int rank() {
        return switch (this) {
            case OK -> 0;
            case REPAIRED -> 1;
            case MISMATCH -> 2;
            case STILL_DIFFERENT -> 3;
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
