package io.amocrmetl.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * What the key-level check compares of one entity on one side (docs/reconciliation.md): its
 * updated_at, its content hash (links and custom fields included, as ingest stores it in
 * {@code _hash}), and whether it is deleted. A side that lacks the entity is a null state.
 */
record KeyState(long updatedAt, String hash, boolean deleted) {

    /** Whether the lake's state and the API's say the same (absent and deleted are the same). */
    static boolean same(KeyState lake, KeyState api) {
        boolean lakeLive = lake != null && !lake.deleted;
        boolean apiLive = api != null && !api.deleted;
        if (!lakeLive || !apiLive) {
            return lakeLive == apiLive;
        }
        return lake.updatedAt == api.updatedAt && Objects.equals(lake.hash, api.hash);
    }

    /** For {@code _reconciliation.lake_value / api_value}: "absent", "deleted", or the updated_at and a short hash. */
    static String describe(KeyState s) {
        if (s == null) {
            return "absent";
        }
        String h = s.hash == null ? "-" : s.hash.substring(0, Math.min(12, s.hash.length()));
        return (s.deleted ? "deleted, " : "") + "updated_at " + Instant.ofEpochSecond(s.updatedAt) + ", hash " + h;
    }
}
