package io.amocrmetl.sandbox.model;

import java.util.List;

/** A contact (docs/amocrm-api.md §2.4). {@code companyId} is its one company, or null. */
public record Contact(
        long id,
        String name,
        String firstName,
        String lastName,
        long responsibleUserId,
        long groupId,
        long createdBy,
        long updatedBy,
        long createdAt,
        long updatedAt,
        Long closestTaskAt,
        List<CustomFieldValue> customFields,
        List<TagRef> tags,
        Long companyId) {

    public Contact withUpdate(long at, long by) {
        return new Contact(
                id,
                name,
                firstName,
                lastName,
                responsibleUserId,
                groupId,
                createdBy,
                by,
                createdAt,
                at,
                closestTaskAt,
                customFields,
                tags,
                companyId);
    }

    public Contact withName(String v) {
        return new Contact(
                id,
                v,
                firstName,
                lastName,
                responsibleUserId,
                groupId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closestTaskAt,
                customFields,
                tags,
                companyId);
    }

    public Contact withCompany(Long v) {
        return new Contact(
                id,
                name,
                firstName,
                lastName,
                responsibleUserId,
                groupId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closestTaskAt,
                customFields,
                tags,
                v);
    }
}
