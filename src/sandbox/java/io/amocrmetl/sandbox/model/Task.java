package io.amocrmetl.sandbox.model;

/**
 * A task (reference §2.4). {@code entityType} is {@code leads}, {@code contacts} or
 * {@code companies}, or null with {@code entityId} null for a task bound to nothing.
 */
public record Task(long id, long createdBy, long updatedBy, long createdAt, long updatedAt,
                   long responsibleUserId, long groupId, Long entityId, String entityType,
                   boolean isCompleted, long taskTypeId, String text, long duration,
                   long completeTill, String resultText) {
}
