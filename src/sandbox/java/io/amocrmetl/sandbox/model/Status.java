package io.amocrmetl.sandbox.model;

/**
 * A pipeline status. Ids 142 (won) and 143 (lost) appear in every pipeline (docs/amocrm-api.md §2.2), so a
 * status is keyed by (pipelineId, id). {@code type} 1 marks the "unsorted" stage.
 */
public record Status(long id, long pipelineId, String name, int sort, boolean isEditable, String color, int type) {}
