package io.amocrmetl.sandbox.model;

import java.util.List;

/** A customer (docs/amocrm-api.md §2.4, SDK CustomerModel), with its linked contacts. */
public record Customer(
        long id,
        String name,
        long nextPrice,
        Long nextDate,
        long responsibleUserId,
        long statusId,
        Integer periodicity,
        long createdBy,
        long updatedBy,
        long createdAt,
        long updatedAt,
        Long closestTaskAt,
        List<CustomFieldValue> customFields,
        long ltv,
        int purchasesCount,
        long averageCheck,
        List<TagRef> tags,
        List<Long> contactIds) {}
