package io.amocrmetl.sandbox.model;

import java.util.Map;

/**
 * An incoming, not yet sorted lead (docs/amocrm-api.md §2.4 "Unsorted"): keyed by its string {@code uid};
 * {@code seq} is the sandbox's own numeric handle. Its cursor is {@code created_at}. The
 * embedded lead, contact and company are what accepting it would create.
 */
public record Unsorted(
        long seq,
        String uid,
        String sourceUid,
        String sourceName,
        String category,
        long pipelineId,
        long createdAt,
        Map<String, Object> metadata,
        Long leadId,
        Long contactId,
        Long companyId) {}
