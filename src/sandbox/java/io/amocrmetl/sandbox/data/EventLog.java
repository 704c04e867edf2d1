package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntToLongFunction;
import java.util.function.Predicate;

/**
 * The account's events: those of the base records, generated on demand from their indexes, and
 * those the mutations wrote, kept here. Not thread-safe: {@link AccountStore}'s lock guards it.
 */
final class EventLog {
    private final AccountGenerator gen;
    private final List<Event> mutationEvents = new ArrayList<>();
    private final SplittableRandom mutationRandom;

    EventLog(AccountGenerator gen, SplittableRandom mutationRandom) {
        this.gen = gen;
        this.mutationRandom = mutationRandom;
    }

    void add(
            String type,
            long entityId,
            String entityType,
            long user,
            long at,
            List<Map<String, Object>> after,
            List<Map<String, Object>> before) {
        mutationEvents.add(gen.event(mutationRandom, type, entityId, entityType, user, at, after, before));
    }

    /** Events with created_at in [from, to] passing the filter, ordered by (created_at, id). */
    List<Event> list(long from, long to, Predicate<Event> filter) {
        List<Event> out = new ArrayList<>();
        Predicate<Event> keep = e -> e.createdAt() >= from && e.createdAt() <= to && filter.test(e);
        KindLayout l = gen.leads;
        for (int i = l.lowerBound(l::updatedAt, from), end = upper(l, l::createdAt, to); i < end; i++) {
            gen.leadEvents(i).stream().filter(keep).forEach(out::add);
        }
        KindLayout c = gen.contacts;
        for (int j = c.lowerBound(c::createdAt, from), end = upper(c, c::createdAt, to); j < end; j++) {
            gen.contactEvents(j).stream().filter(keep).forEach(out::add);
        }
        KindLayout k = gen.companies;
        for (int i = k.lowerBound(k::createdAt, from), end = upper(k, k::createdAt, to); i < end; i++) {
            gen.companyEvents(i).stream().filter(keep).forEach(out::add);
        }
        KindLayout t = gen.tasks;
        for (int i = t.lowerBound(t::updatedAt, from), end = upper(t, t::createdAt, to); i < end; i++) {
            gen.taskEvents(i).stream().filter(keep).forEach(out::add);
        }
        mutationEvents.stream().filter(keep).forEach(out::add);
        out.sort(Comparator.comparingLong(Event::createdAt).thenComparing(Event::id));
        return out;
    }

    private static int upper(KindLayout layout, IntToLongFunction key, long to) {
        return to == Long.MAX_VALUE ? layout.n : layout.lowerBound(key, to + 1);
    }
}
