package io.amocrmetl.sandbox.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * One entity kind of the account: base records derived on demand from their index
 * ({@link KindLayout}), plus an overlay of records that mutations changed or added, plus the
 * deleted ids with their deletion time. Not thread-safe: {@link AccountData} guards it.
 */
public final class EntityTable<T> {
    /** The keys a list can be ordered by (docs/amocrm-api.md §4.1). */
    public enum OrderKey {
        ID,
        CREATED_AT,
        UPDATED_AT
    }

    final String name;
    final KindLayout layout;
    private final IntFunction<T> generator;
    private final ToLongFunction<T> idOf;
    private final ToLongFunction<T> createdAtOf;
    private final ToLongFunction<T> updatedAtOf;
    private final Map<Long, T> overlay = new HashMap<>();
    /** Overlay ids by (updated_at, id): keyset reads walk it lazily instead of sorting per page. */
    private final java.util.TreeMap<Key, Long> overlayByUpdated = new java.util.TreeMap<>();

    private record Key(long updatedAt, long id) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(updatedAt, o.updatedAt);
            return c != 0 ? c : Long.compare(id, o.id);
        }
    }

    private final Map<Long, Long> deletedAt = new HashMap<>();
    private long nextId;

    EntityTable(
            String name,
            KindLayout layout,
            IntFunction<T> generator,
            ToLongFunction<T> idOf,
            ToLongFunction<T> createdAtOf,
            ToLongFunction<T> updatedAtOf) {
        this.name = name;
        this.layout = layout;
        this.generator = generator;
        this.idOf = idOf;
        this.createdAtOf = createdAtOf;
        this.updatedAtOf = updatedAtOf;
        this.nextId = layout.n == 0 ? 1 : layout.id(layout.n - 1) + 1;
    }

    /** The record as it is now, deleted or not; null if the id never existed. */
    T findAny(long id) {
        T rec = overlay.get(id);
        if (rec != null) {
            return rec;
        }
        int i = layout.indexOf(id);
        return i < 0 ? null : generator.apply(i);
    }

    /** The live record, or null when it is deleted or never existed. */
    T find(long id) {
        return deletedAt.containsKey(id) ? null : findAny(id);
    }

    /** The base record as generated, ignoring every mutation. */
    T base(int index) {
        return generator.apply(index);
    }

    boolean isLive(long id) {
        return !deletedAt.containsKey(id) && (overlay.containsKey(id) || layout.indexOf(id) >= 0);
    }

    /** Whether mutations touched this id, so its base form no longer speaks for it. */
    boolean isOverlaid(long id) {
        return overlay.containsKey(id) || deletedAt.containsKey(id);
    }

    Long deletedAt(long id) {
        return deletedAt.get(id);
    }

    Map<Long, Long> deletions() {
        return Map.copyOf(deletedAt);
    }

    void put(T rec) {
        long id = idOf.applyAsLong(rec);
        T old = overlay.put(id, rec);
        if (old != null) {
            overlayByUpdated.remove(new Key(updatedAtOf.applyAsLong(old), id));
        }
        overlayByUpdated.put(new Key(updatedAtOf.applyAsLong(rec), id), id);
        nextId = Math.max(nextId, id + 1);
    }

    void markDeleted(long id, long at) {
        deletedAt.put(id, at);
    }

    void restore(long id) {
        deletedAt.remove(id);
    }

    long allocateId() {
        return nextId++;
    }

    long idOf(T rec) {
        return idOf.applyAsLong(rec);
    }

    long updatedAtOf(T rec) {
        return updatedAtOf.applyAsLong(rec);
    }

    long createdAtOf(T rec) {
        return createdAtOf.applyAsLong(rec);
    }

    /** Live overlay records (changed or added by mutations). */
    List<T> overlayRecords() {
        List<T> out = new ArrayList<>();
        for (Map.Entry<Long, T> e : overlay.entrySet()) {
            if (!deletedAt.containsKey(e.getKey())) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /**
     * The live records in the given order whose created_at and updated_at fall in the inclusive
     * ranges and that pass {@code filter}, produced lazily. Base records come by binary search
     * on their monotone keys, so a keyset read of a large account costs what it returns.
     */
    Iterator<T> scan(
            OrderKey order,
            boolean descending,
            long createdFrom,
            long createdTo,
            long updatedFrom,
            long updatedTo,
            Predicate<T> filter) {
        ToLongFunction<T> key = switch (order) {
            case ID -> idOf;
            case CREATED_AT -> createdAtOf;
            case UPDATED_AT -> updatedAtOf;
        };
        if (createdFrom > createdTo || updatedFrom > updatedTo) {
            // An empty range, e.g. (x, x) under exclusive bounds: no rows, not an error.
            return java.util.Collections.emptyIterator();
        }
        Comparator<T> cmp = Comparator.comparingLong(key).thenComparingLong(idOf);
        if (descending) {
            cmp = cmp.reversed();
        }
        Predicate<T> inRange = r -> {
            long c = createdAtOf.applyAsLong(r);
            long u = updatedAtOf.applyAsLong(r);
            return c >= createdFrom && c <= createdTo && u >= updatedFrom && u <= updatedTo;
        };
        Iterator<T> changed;
        if (order == OrderKey.UPDATED_AT) {
            // The common keyset read: walk the sorted overlay lazily from the range's start.
            var range = overlayByUpdated.subMap(
                    new Key(updatedFrom, Long.MIN_VALUE), true, new Key(updatedTo, Long.MAX_VALUE), true);
            Iterator<Long> ids =
                    (descending ? range.descendingMap() : range).values().iterator();
            changed = new FilterIterator<>(
                    new java.util.Iterator<T>() {
                        @Override
                        public boolean hasNext() {
                            return ids.hasNext();
                        }

                        @Override
                        public T next() {
                            return overlay.get(ids.next());
                        }
                    },
                    r -> !deletedAt.containsKey(idOf.applyAsLong(r)) && inRange.test(r) && filter.test(r));
        } else {
            List<T> list = new ArrayList<>();
            for (T rec : overlayRecords()) {
                if (inRange.test(rec) && filter.test(rec)) {
                    list.add(rec);
                }
            }
            list.sort(cmp);
            changed = list.iterator();
        }

        int lo = Math.max(
                layout.lowerBound(layout::createdAt, createdFrom), layout.lowerBound(layout::updatedAt, updatedFrom));
        int hi = Math.min(upperBound(layout::createdAt, createdTo), upperBound(layout::updatedAt, updatedTo));
        Iterator<T> base = baseRecords(lo, hi, descending, filter);
        return new MergeIterator<>(base, changed, cmp);
    }

    private int upperBound(java.util.function.IntToLongFunction key, long to) {
        return to == Long.MAX_VALUE ? layout.n : layout.lowerBound(key, to + 1);
    }

    /** Base records in [lo, hi) in index order (or reversed), skipping those a mutation overrides. */
    private Iterator<T> baseRecords(int lo, int hi, boolean descending, Predicate<T> filter) {
        Iterator<T> generated = new Iterator<>() {
            private int next = descending ? hi - 1 : lo;
            private final int end = descending ? lo - 1 : hi;

            @Override
            public boolean hasNext() {
                while (next != end && isOverlaid(layout.id(next))) {
                    next += descending ? -1 : 1;
                }
                return next != end;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T rec = generator.apply(next);
                next += descending ? -1 : 1;
                return rec;
            }
        };
        return new FilterIterator<>(generated, filter);
    }

    /** The elements of an iterator that pass a predicate, lazily. */
    static final class FilterIterator<T> implements Iterator<T> {
        private final Iterator<T> in;
        private final Predicate<T> keep;
        private T pending;

        FilterIterator(Iterator<T> in, Predicate<T> keep) {
            this.in = in;
            this.keep = keep;
        }

        @Override
        public boolean hasNext() {
            while (pending == null && in.hasNext()) {
                T t = in.next();
                if (keep.test(t)) {
                    pending = t;
                }
            }
            return pending != null;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            T out = pending;
            pending = null;
            return out;
        }
    }

    /** Merges two iterators that are each sorted by {@code cmp}. */
    static final class MergeIterator<T> implements Iterator<T> {
        private final Iterator<T> a;
        private final Iterator<T> b;
        private final Comparator<T> cmp;
        private T headA;
        private T headB;

        MergeIterator(Iterator<T> a, Iterator<T> b, Comparator<T> cmp) {
            this.a = a;
            this.b = b;
            this.cmp = cmp;
        }

        @Override
        public boolean hasNext() {
            if (headA == null && a.hasNext()) {
                headA = a.next();
            }
            if (headB == null && b.hasNext()) {
                headB = b.next();
            }
            return headA != null || headB != null;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            T out;
            if (headB == null || (headA != null && cmp.compare(headA, headB) <= 0)) {
                out = headA;
                headA = null;
            } else {
                out = headB;
                headB = null;
            }
            return out;
        }
    }
}
