package io.amocrmetl.sandbox.model;

import java.math.BigDecimal;
import java.util.List;

/**
 * A lead (docs/amocrm-api.md §2.2). {@code priceWithMinorUnits} is null on older accounts; when present it
 * carries the kopecks that {@code price} (an int) drops. {@code customFields} is null when the API
 * sends {@code "custom_fields_values": null}.
 */
public record Lead(
        long id,
        String name,
        long price,
        BigDecimal priceWithMinorUnits,
        long responsibleUserId,
        long groupId,
        long statusId,
        long pipelineId,
        Long lossReasonId,
        Long sourceId,
        long createdBy,
        long updatedBy,
        long createdAt,
        long updatedAt,
        Long closedAt,
        Long closestTaskAt,
        Integer score,
        Long laborCost,
        List<CustomFieldValue> customFields,
        List<TagRef> tags,
        List<ContactLink> contacts,
        Long companyId,
        boolean isDeleted) {

    public Lead withUpdate(long updatedAt, long updatedBy) {
        return new Lead(
                id,
                name,
                price,
                priceWithMinorUnits,
                responsibleUserId,
                groupId,
                statusId,
                pipelineId,
                lossReasonId,
                sourceId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closedAt,
                closestTaskAt,
                score,
                laborCost,
                customFields,
                tags,
                contacts,
                companyId,
                isDeleted);
    }

    public Lead withName(String v) {
        return new Lead(
                id,
                v,
                price,
                priceWithMinorUnits,
                responsibleUserId,
                groupId,
                statusId,
                pipelineId,
                lossReasonId,
                sourceId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closedAt,
                closestTaskAt,
                score,
                laborCost,
                customFields,
                tags,
                contacts,
                companyId,
                isDeleted);
    }

    /** A new price; the minor-unit price goes with it, as an edit in the UI sets a whole price. */
    public Lead withPrice(long v) {
        return new Lead(
                id,
                name,
                v,
                null,
                responsibleUserId,
                groupId,
                statusId,
                pipelineId,
                lossReasonId,
                sourceId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closedAt,
                closestTaskAt,
                score,
                laborCost,
                customFields,
                tags,
                contacts,
                companyId,
                isDeleted);
    }

    public Lead withStatus(long v, Long closedAtValue, Long lossReason) {
        return new Lead(
                id,
                name,
                price,
                priceWithMinorUnits,
                responsibleUserId,
                groupId,
                v,
                pipelineId,
                lossReason,
                sourceId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closedAtValue,
                closestTaskAt,
                score,
                laborCost,
                customFields,
                tags,
                contacts,
                companyId,
                isDeleted);
    }

    public Lead withCustomFields(List<CustomFieldValue> v) {
        return new Lead(
                id,
                name,
                price,
                priceWithMinorUnits,
                responsibleUserId,
                groupId,
                statusId,
                pipelineId,
                lossReasonId,
                sourceId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closedAt,
                closestTaskAt,
                score,
                laborCost,
                v,
                tags,
                contacts,
                companyId,
                isDeleted);
    }

    public Lead withTags(List<TagRef> v) {
        return new Lead(
                id,
                name,
                price,
                priceWithMinorUnits,
                responsibleUserId,
                groupId,
                statusId,
                pipelineId,
                lossReasonId,
                sourceId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closedAt,
                closestTaskAt,
                score,
                laborCost,
                customFields,
                v,
                contacts,
                companyId,
                isDeleted);
    }

    public Lead withContacts(List<ContactLink> v) {
        return new Lead(
                id,
                name,
                price,
                priceWithMinorUnits,
                responsibleUserId,
                groupId,
                statusId,
                pipelineId,
                lossReasonId,
                sourceId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closedAt,
                closestTaskAt,
                score,
                laborCost,
                customFields,
                tags,
                v,
                companyId,
                isDeleted);
    }

    public Lead withCompany(Long v) {
        return new Lead(
                id,
                name,
                price,
                priceWithMinorUnits,
                responsibleUserId,
                groupId,
                statusId,
                pipelineId,
                lossReasonId,
                sourceId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closedAt,
                closestTaskAt,
                score,
                laborCost,
                customFields,
                tags,
                contacts,
                v,
                isDeleted);
    }

    public Lead withDeleted(boolean v) {
        return new Lead(
                id,
                name,
                price,
                priceWithMinorUnits,
                responsibleUserId,
                groupId,
                statusId,
                pipelineId,
                lossReasonId,
                sourceId,
                createdBy,
                updatedBy,
                createdAt,
                updatedAt,
                closedAt,
                closestTaskAt,
                score,
                laborCost,
                customFields,
                tags,
                contacts,
                companyId,
                v);
    }
}
