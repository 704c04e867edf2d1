package io.amocrmetl.reconcile;

import java.util.Comparator;

/**
 * One slice of the lead aggregates (docs/reconciliation.md): a period of created_at, a pipeline,
 * a status, and a tag (0: no tag). A lead with several tags is in one slice per tag.
 */
record Slice(String period, long pipelineId, long statusId, long tagId) implements Comparable<Slice> {
    private static final Comparator<Slice> ORDER = Comparator.comparing(Slice::period)
            .thenComparingLong(Slice::pipelineId)
            .thenComparingLong(Slice::statusId)
            .thenComparingLong(Slice::tagId);

    /** Its text in {@code _reconciliation.slice}: period/pipeline/status/tag. */
    String key() {
        return period + "/" + pipelineId + "/" + statusId + "/" + tagId;
    }

    @Override
    public int compareTo(Slice o) {
        return ORDER.compare(this, o);
    }
}
