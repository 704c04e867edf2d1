package io.amocrmetl.sandbox.model;

/** A customer's purchase (docs/amocrm-api.md §2.4 "Transaction fields"). */
public record CustomerTransaction(
        long id,
        long customerId,
        long price,
        String comment,
        Long completedAt,
        long createdAt,
        long updatedAt,
        long createdBy,
        long updatedBy,
        Long nextPrice,
        Long nextDate) {}
