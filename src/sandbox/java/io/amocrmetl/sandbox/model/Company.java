package io.amocrmetl.sandbox.model;

import java.util.List;

/** A company (docs/amocrm-api.md §2.4). Its contacts and leads are links, read from the account. */
public record Company(
        long id,
        String name,
        long responsibleUserId,
        long groupId,
        long createdBy,
        long updatedBy,
        long createdAt,
        long updatedAt,
        Long closestTaskAt,
        List<CustomFieldValue> customFields,
        List<TagRef> tags) {

    public Company withUpdate(long at, long by) {
        return new Company(
                id, name, responsibleUserId, groupId, createdBy, by, createdAt, at, closestTaskAt, customFields, tags);
    }

    public Company withName(String v) {
        return new Company(
                id,
                v,
                responsibleUserId,
                groupId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closestTaskAt,
                customFields,
                tags);
    }
}
