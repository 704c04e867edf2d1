package io.amocrmetl.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares the lake's lead aggregates with amoCRM's, slice by slice (docs/reconciliation.md). A
 * slice only one side has is compared with zero leads. Spark-free.
 */
final class SliceDiff {
    /** A slice whose measures differ; a side that lacks the slice shows {@link Measures#NONE}. */
    record Difference(Slice slice, Measures lake, Measures api) {}

    private SliceDiff() {}

    /** The differing slices, in slice order. */
    static List<Difference> diff(Map<Slice, Measures> lake, Map<Slice, Measures> api) {
        TreeSet<Slice> all = new TreeSet<>(lake.keySet());
        all.addAll(api.keySet());
        List<Difference> out = new ArrayList<>();
        for (Slice s : all) {
            Measures l = lake.getOrDefault(s, Measures.NONE);
            Measures a = api.getOrDefault(s, Measures.NONE);
            if (!l.same(a)) {
                out.add(new Difference(s, l, a));
            }
        }
        return out;
    }
}
