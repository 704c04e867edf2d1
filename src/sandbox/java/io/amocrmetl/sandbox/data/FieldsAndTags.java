package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.TagRef;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The custom field values and tags of a base record, drawn from the random stream its caller
 * passes, so each record's draws stay its own.
 */
final class FieldsAndTags {
    private final ReferenceData ref;

    FieldsAndTags(ReferenceData ref) {
        this.ref = ref;
    }

    /**
     * Values for a share of the entity type's fields (all of them when share is 1).
     */
    List<CustomFieldValue> customFields(String entityType, SplittableRandom r, long timeBase, double share) {
        List<CustomFieldValue> out = new ArrayList<>();
        for (CustomFieldDef def : ref.generatedFields.get(entityType)) {
            if (share >= 1.0 || r.nextDouble() < share) {
                out.add(FieldValues.of(def, r, timeBase));
            }
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** {@code count} tags of the type, or a random 0..2 when count is -1. */
    List<TagRef> tags(String entityType, SplittableRandom r, int count) {
        List<Tag> pool = ref.tags.get(entityType);
        // Only the generated tags: a tag added later by a mutation must not re-roll base records.
        int size = ref.generatedTags.get(entityType);
        int n = count >= 0 ? count : r.nextInt(10) < 5 ? 0 : 1 + r.nextInt(2);
        List<TagRef> out = new ArrayList<>();
        int start = r.nextInt(size);
        for (int k = 0; k < n; k++) {
            Tag t = pool.get((start + k) % size);
            out.add(new TagRef(t.id(), t.name(), t.color()));
        }
        return List.copyOf(out);
    }
}
