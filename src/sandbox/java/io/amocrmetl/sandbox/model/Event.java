package io.amocrmetl.sandbox.model;

import java.util.List;
import java.util.Map;

/**
 * An event (docs/amocrm-api.md §2.4, §4.3). The id is a ULID-like string; {@code entityType} is the
 * singular form the events API uses ({@code lead}, {@code contact}, {@code company},
 * {@code task}).
 */
public record Event(
        String id,
        String type,
        long entityId,
        String entityType,
        long createdBy,
        long createdAt,
        List<Map<String, Object>> valueAfter,
        List<Map<String, Object>> valueBefore) {}
