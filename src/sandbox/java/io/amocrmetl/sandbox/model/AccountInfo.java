package io.amocrmetl.sandbox.model;

/** What {@code GET /api/v4/account} describes (docs/amocrm-api.md §2.4). */
public record AccountInfo(
        long id,
        String name,
        String subdomain,
        long createdAt,
        long currentUserId,
        String country,
        String currency,
        String currencySymbol,
        String customersMode,
        String timezone,
        boolean isApiFilterEnabled) {}
