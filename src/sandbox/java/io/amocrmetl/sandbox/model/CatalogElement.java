package io.amocrmetl.sandbox.model;

import java.util.List;

/** An element of a list (docs/amocrm-api.md §2.4, SDK CatalogElementModel). */
public record CatalogElement(
        long id,
        long catalogId,
        String name,
        long createdBy,
        long updatedBy,
        long createdAt,
        long updatedAt,
        List<CustomFieldValue> customFields) {}
