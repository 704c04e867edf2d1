package io.amocrmetl.sandbox.data;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.ToLongFunction;

/**
 * Records in the order given, except that each run of equal keys comes reversed (ids
 * descending under an ascending order): {@link Fidelity#tiesReversed}. Lazy: it holds one
 * run of equal keys at a time.
 */
final class TiesReversed<T> implements Iterator<T> {
    private final Iterator<T> in;
    private final ToLongFunction<T> key;
    private final ArrayDeque<T> run = new ArrayDeque<>();
    private T ahead;

    TiesReversed(Iterator<T> in, ToLongFunction<T> key) {
        this.in = in;
        this.key = key;
    }

    @Override
    public boolean hasNext() {
        if (run.isEmpty()) {
            T first = ahead != null ? ahead : in.hasNext() ? in.next() : null;
            ahead = null;
            if (first == null) {
                return false;
            }
            run.push(first);
            while (in.hasNext()) {
                T next = in.next();
                if (key.applyAsLong(next) != key.applyAsLong(first)) {
                    ahead = next;
                    break;
                }
                run.push(next);
            }
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return run.pop();
    }
}
