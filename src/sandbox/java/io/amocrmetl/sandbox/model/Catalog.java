package io.amocrmetl.sandbox.model;

/** A list ("catalog", docs/amocrm-api.md §2.4): type regular, invoices or products. */
public record Catalog(
        long id,
        String name,
        String type,
        int sort,
        boolean canAddElements,
        boolean canLinkMultiple,
        boolean canShowInCards,
        boolean canBeDeleted,
        long createdBy,
        long updatedBy,
        long createdAt,
        long updatedAt) {}
