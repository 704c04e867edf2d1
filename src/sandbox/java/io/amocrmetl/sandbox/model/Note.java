package io.amocrmetl.sandbox.model;

import java.util.Map;

/**
 * A note (docs/amocrm-api.md §2.4) of a lead, contact or company ({@code entityType} is the list path:
 * {@code leads}, {@code contacts}, {@code companies}). {@code params} is shaped by the type.
 */
public record Note(
        long id,
        String entityType,
        long entityId,
        long createdBy,
        long updatedBy,
        long createdAt,
        long updatedAt,
        long responsibleUserId,
        long groupId,
        String noteType,
        Map<String, Object> params,
        boolean isPinned) {

    public Note withUpdate(long at, long by) {
        return new Note(
                id,
                entityType,
                entityId,
                createdBy,
                by,
                createdAt,
                at,
                responsibleUserId,
                groupId,
                noteType,
                params,
                isPinned);
    }
}
