package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.data.EntityTable.OrderKey;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What one list request asks for, already parsed: order, inclusive time ranges (the HTTP layer
 * has applied the bound-inclusivity reading), an optional id set, and any other filter.
 */
public record ListQuery<T>(
        OrderKey order,
        boolean descending,
        long createdFrom,
        long createdTo,
        long updatedFrom,
        long updatedTo,
        Set<Long> ids,
        Predicate<T> filter) {

    public static <T> ListQuery<T> all() {
        return new ListQuery<>(
                OrderKey.ID, false, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, null, r -> true);
    }
}
