package io.amocrmetl.sandbox.model;

/**
 * A task (docs/amocrm-api.md §2.4). {@code entityType} is {@code leads}, {@code contacts} or
 * {@code companies}, or null with {@code entityId} null for a task bound to nothing.
 */
public record Task(
        long id,
        long createdBy,
        long updatedBy,
        long createdAt,
        long updatedAt,
        long responsibleUserId,
        long groupId,
        Long entityId,
        String entityType,
        boolean isCompleted,
        long taskTypeId,
        String text,
        long duration,
        long completeTill,
        String resultText) {

    public Task withUpdate(long at, long by) {
        return new Task(
                id,
                createdBy,
                by,
                createdAt,
                at,
                responsibleUserId,
                groupId,
                entityId,
                entityType,
                isCompleted,
                taskTypeId,
                text,
                duration,
                completeTill,
                resultText);
    }

    public Task withText(String v) {
        return new Task(
                id,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                responsibleUserId,
                groupId,
                entityId,
                entityType,
                isCompleted,
                taskTypeId,
                v,
                duration,
                completeTill,
                resultText);
    }
}
