package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.TagRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits of a live lead that amoCRM logs: each moves updated_at to now and writes the event its
 * field has ({@code name_field_changed}, {@code lead_status_changed}, tags, custom fields).
 */
final class LeadEdits {
    private final AccountStore store;
    private final SandboxClock clock;
    private final AccountGenerator gen;

    LeadEdits(AccountStore store) {
        this.store = store;
        this.clock = store.clock;
        this.gen = store.gen;
    }

    /** Renames a lead; writes {@code name_field_changed}. */
    Lead renameLead(long id, String name) {
        return store.write(() -> {
            Lead old = store.liveLead(id);
            Lead lead = store.edit(old.withName(name));
            store.addEvent(
                    "name_field_changed",
                    id,
                    "lead",
                    lead.updatedBy(),
                    lead.updatedAt(),
                    List.of(FieldValues.object("name_field_value", FieldValues.object("name", name))),
                    List.of(FieldValues.object("name_field_value", FieldValues.object("name", old.name()))));
            return lead;
        });
    }

    /** Sets a lead's price and bumps updated_at; writes {@code sale_field_changed}. */
    Lead updateLeadPrice(long id, long price) {
        return store.write(() -> {
            Lead old = store.liveLead(id);
            Lead lead = store.edit(old.withPrice(price));
            store.addEvent(
                    "sale_field_changed",
                    id,
                    "lead",
                    lead.updatedBy(),
                    lead.updatedAt(),
                    List.of(FieldValues.object("sale_field_value", FieldValues.object("sale", price))),
                    List.of(FieldValues.object("sale_field_value", FieldValues.object("sale", old.price()))));
            return lead;
        });
    }

    /** Moves a lead to another status of its pipeline; writes {@code lead_status_changed}. */
    Lead changeLeadStatus(long id, long statusId) {
        return store.write(() -> {
            Lead old = store.liveLead(id);
            Pipeline p = gen.ref.pipeline(old.pipelineId());
            if (p.statuses().stream().noneMatch(s -> s.id() == statusId)) {
                throw new IllegalArgumentException("status " + statusId + " is not in pipeline " + p.id());
            }
            boolean closed = statusId == ReferenceData.WON || statusId == ReferenceData.LOST;
            long now = clock.nowSeconds();
            Lead lead = store.edit(old.withStatus(
                    statusId,
                    closed ? Long.valueOf(now) : null,
                    statusId == ReferenceData.LOST ? old.lossReasonId() : null));
            store.addEvent(
                    "lead_status_changed",
                    id,
                    "lead",
                    lead.updatedBy(),
                    lead.updatedAt(),
                    List.of(AccountGenerator.leadStatus(statusId, old.pipelineId())),
                    List.of(AccountGenerator.leadStatus(old.statusId(), old.pipelineId())));
            return lead;
        });
    }

    /**
     * Replaces one custom field's values on a lead (null removes it); writes
     * {@code custom_field_value_changed} (docs/amocrm-api.md §4.3: per field,
     * {@code custom_field_{ID}_value_changed}).
     */
    Lead setLeadCustomField(long id, CustomFieldValue value, long fieldId) {
        return store.write(() -> {
            Lead old = store.liveLead(id);
            List<CustomFieldValue> cf = new ArrayList<>(old.customFields() == null ? List.of() : old.customFields());
            cf.removeIf(v -> v.fieldId() == fieldId);
            if (value != null) {
                cf.add(value);
            }
            Lead lead = store.edit(old.withCustomFields(cf.isEmpty() ? null : List.copyOf(cf)));
            store.addEvent(
                    "custom_field_" + fieldId + "_value_changed",
                    id,
                    "lead",
                    lead.updatedBy(),
                    lead.updatedAt(),
                    List.of(FieldValues.object("custom_field_value", FieldValues.object("field_id", fieldId))),
                    List.of());
            return lead;
        });
    }

    /** Adds a lead tag (creating the tag when new); writes {@code entity_tag_added}. */
    Lead addLeadTag(long id, String tagName) {
        return store.write(() -> {
            Lead old = store.liveLead(id);
            Tag tag = store.tagNamed("leads", tagName);
            if (old.tags().stream().anyMatch(t -> t.id() == tag.id())) {
                return old;
            }
            List<TagRef> tags = new ArrayList<>(old.tags());
            tags.add(new TagRef(tag.id(), tag.name(), tag.color()));
            Lead lead = store.edit(old.withTags(List.copyOf(tags)));
            store.addEvent(
                    "entity_tag_added",
                    id,
                    "lead",
                    lead.updatedBy(),
                    lead.updatedAt(),
                    List.of(FieldValues.object("tag", FieldValues.object("name", tagName))),
                    List.of());
            return lead;
        });
    }

    /** Removes a lead tag; writes {@code entity_tag_deleted}. */
    Lead removeLeadTag(long id, String tagName) {
        return store.write(() -> {
            Lead old = store.liveLead(id);
            List<TagRef> tags =
                    old.tags().stream().filter(t -> !t.name().equals(tagName)).toList();
            if (tags.size() == old.tags().size()) {
                return old;
            }
            Lead lead = store.edit(old.withTags(tags));
            store.addEvent(
                    "entity_tag_deleted",
                    id,
                    "lead",
                    lead.updatedBy(),
                    lead.updatedAt(),
                    List.of(),
                    List.of(FieldValues.object("tag", FieldValues.object("name", tagName))));
            return lead;
        });
    }
}
