package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.data.EntityTable.OrderKey;
import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.CatalogLink;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.ContactLink;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.Unsorted;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The list reads: one page of an entity list under a {@link ListQuery}, cut under the read lock,
 * in the order, ranges and filters asked for and with the fidelity switches that bend the order;
 * leads and contacts come as the API shows them (links to deleted records gone).
 */
final class ListPages {
    private final AccountStore store;
    private final Fidelity fidelity;
    private final SandboxClock clock;
    private final AccountGenerator gen;
    private final EntityTable<Lead> leads;
    private final EntityTable<Contact> contacts;
    private final EntityTable<Company> companies;
    private final EntityTable<Task> tasks;
    private final Map<String, EntityTable<Note>> notes;
    private final EntityTable<Unsorted> unsorted;
    private final EntityTable<Customer> customers;
    private final EntityTable<CustomerTransaction> transactions;
    private final Map<Long, EntityTable<CatalogElement>> elements;

    ListPages(AccountStore store) {
        this.store = store;
        this.fidelity = store.fidelity;
        this.clock = store.clock;
        this.gen = store.gen;
        this.leads = store.leads;
        this.contacts = store.contacts;
        this.companies = store.companies;
        this.tasks = store.tasks;
        this.notes = store.notes;
        this.unsorted = store.unsorted;
        this.customers = store.customers;
        this.transactions = store.transactions;
        this.elements = store.elements;
    }

    PageResult<Unsorted> unsorted(ListQuery<Unsorted> q, int page, int limit) {
        return store.read(() -> page(unsorted, q, page, limit, Function.identity()));
    }

    PageResult<Customer> customers(ListQuery<Customer> q, int page, int limit) {
        return store.read(() -> page(customers, q, page, limit, Function.identity()));
    }

    PageResult<CustomerTransaction> transactions(ListQuery<CustomerTransaction> q, int page, int limit) {
        return store.read(() -> page(transactions, q, page, limit, Function.identity()));
    }

    /** Elements of one list, or null when there is no such list. */
    PageResult<CatalogElement> catalogElements(long catalogId, ListQuery<CatalogElement> q, int page, int limit) {
        return store.read(() -> elements.containsKey(catalogId)
                ? page(elements.get(catalogId), q, page, limit, Function.identity())
                : null);
    }

    PageResult<Lead> leads(ListQuery<Lead> q, int page, int limit) {
        return store.read(() -> page(leads, q, page, limit, this::present));
    }

    PageResult<Contact> contacts(ListQuery<Contact> q, int page, int limit) {
        return store.read(() -> page(contacts, q, page, limit, this::present));
    }

    PageResult<Company> companies(ListQuery<Company> q, int page, int limit) {
        return store.read(() -> page(companies, q, page, limit, Function.identity()));
    }

    PageResult<Task> tasks(ListQuery<Task> q, int page, int limit) {
        return store.read(() -> page(tasks, q, page, limit, Function.identity()));
    }

    PageResult<Note> notes(String entityType, ListQuery<Note> q, int page, int limit) {
        return store.read(() -> page(notes.get(entityType), q, page, limit, Function.identity()));
    }

    /**
     * Events with created_at in [from, to] passing the filter, ordered by (created_at, id), as
     * {@code /api/v4/events} lists them: events older than {@link Fidelity#eventsRetentionDays}
     * are gone from the list (docs/amocrm-api.md §9.3), though ground truth keeps them.
     */
    PageResult<Event> events(long from, long to, Predicate<Event> filter, int page, int limit) {
        return store.read(() -> {
            int days = fidelity.eventsRetentionDays;
            long kept = days > 0 ? Math.max(from, clock.nowSeconds() - days * 86_400L) : from;
            List<Event> all = store.events.list(kept, to, filter);
            int start = (int) Math.min(all.size(), (long) (page - 1) * limit);
            int end = Math.min(all.size(), start + limit);
            return new PageResult<>(List.copyOf(all.subList(start, end)), end < all.size());
        });
    }

    /** The list elements linked to a lead ({@code with=catalog_elements}); base leads only. */
    List<CatalogLink> leadCatalogElements(long leadId) {
        int i = gen.leads.indexOf(leadId);
        return i < 0 ? List.of() : gen.leadCatalogElements(i);
    }

    <T> PageResult<T> page(EntityTable<T> table, ListQuery<T> q, int page, int limit, Function<T, T> view) {
        Iterator<T> it;
        if (q.ids() != null) {
            List<T> picked = new ArrayList<>();
            for (long id : new TreeSet<>(q.ids())) {
                T rec = table.find(id);
                if (rec != null && inRange(table, rec, q) && q.filter().test(rec)) {
                    picked.add(rec);
                }
            }
            Comparator<T> cmp = Comparator.comparingLong((T r) -> switch (q.order()) {
                        case ID -> table.idOf(r);
                        case CREATED_AT -> table.createdAtOf(r);
                        case UPDATED_AT -> table.updatedAtOf(r);
                    })
                    .thenComparingLong(table::idOf);
            picked.sort(q.descending() ? cmp.reversed() : cmp);
            it = picked.iterator();
        } else {
            it = table.scan(
                    q.order(),
                    q.descending(),
                    q.createdFrom(),
                    q.createdTo(),
                    q.updatedFrom(),
                    q.updatedTo(),
                    q.filter());
        }
        if (fidelity.tiesReversed && q.order() != OrderKey.ID) {
            it = new TiesReversed<>(it, q.order() == OrderKey.UPDATED_AT ? table::updatedAtOf : table::createdAtOf);
        }
        long skip = (long) (page - 1) * limit;
        while (skip-- > 0 && it.hasNext()) {
            it.next();
        }
        List<T> items = new ArrayList<>(limit);
        while (items.size() < limit && it.hasNext()) {
            items.add(view.apply(it.next()));
        }
        return new PageResult<>(items, it.hasNext());
    }

    private static <T> boolean inRange(EntityTable<T> t, T r, ListQuery<T> q) {
        long c = t.createdAtOf(r);
        long u = t.updatedAtOf(r);
        return c >= q.createdFrom() && c <= q.createdTo() && u >= q.updatedFrom() && u <= q.updatedTo();
    }

    /** A lead as the API shows it: links to deleted contacts or companies are gone. */
    Lead present(Lead l) {
        List<ContactLink> live = l.contacts().stream()
                .filter(c -> contacts.isLive(c.contactId()))
                .toList();
        Long company = l.companyId() != null && companies.isLive(l.companyId()) ? l.companyId() : null;
        if (live.size() == l.contacts().size() && Objects.equals(company, l.companyId())) {
            return l;
        }
        return l.withContacts(live).withCompany(company);
    }

    Contact present(Contact c) {
        if (c.companyId() == null || companies.isLive(c.companyId())) {
            return c;
        }
        return new Contact(
                c.id(),
                c.name(),
                c.firstName(),
                c.lastName(),
                c.responsibleUserId(),
                c.groupId(),
                c.createdBy(),
                c.updatedBy(),
                c.createdAt(),
                c.updatedAt(),
                c.closestTaskAt(),
                c.customFields(),
                c.tags(),
                null);
    }
}
