package io.amocrmetl.sandbox.model;

/** A loss reason (docs/amocrm-api.md §2.4). */
public record LossReason(long id, String name, int sort, long createdAt, long updatedAt) {}
