package io.amocrmetl.sandbox.model;

/** A user with the rights the ETL cares about (docs/amocrm-api.md §2.4). */
public record User(
        long id,
        String name,
        String email,
        String lang,
        boolean isAdmin,
        boolean isFree,
        boolean isActive,
        Long groupId,
        Long roleId) {}
