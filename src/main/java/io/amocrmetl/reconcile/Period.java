package io.amocrmetl.reconcile;

import java.time.Instant;

/**
 * One period of created_at, clipped to the judged range: its label ("2025-04", "2025-W14",
 * "2025-04-01") and its first and last second (inclusive, epoch seconds).
 */
record Period(String label, long from, long to) {
    @Override
    public String toString() {
        return label + " [" + Instant.ofEpochSecond(from) + " .. " + Instant.ofEpochSecond(to) + "]";
    }
}
