package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.ContactLink;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.Unsorted;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The account's state, shared by its roles (lists, edits, deletions, ground truth): the entity
 * tables, the reverse-link indexes of overlay records, the events log and the lock. Readers hold
 * the read lock while they build a page and mutations the write lock, so a page is always cut
 * from one consistent state; {@link #version()} counts the writes.
 */
final class AccountStore {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong version = new AtomicLong();
    final SandboxClock clock;
    final AccountGenerator gen;
    final Fidelity fidelity;
    final EntityTable<Lead> leads;
    final EntityTable<Contact> contacts;
    final EntityTable<Company> companies;
    final EntityTable<Task> tasks;
    final Map<String, EntityTable<Note>> notes = new LinkedHashMap<>();
    final EntityTable<Unsorted> unsorted;
    final EntityTable<Customer> customers;
    final EntityTable<CustomerTransaction> transactions;
    final Map<Long, EntityTable<CatalogElement>> elements = new LinkedHashMap<>();
    final EventLog events;
    /** Reverse links of overlay records: contact or company id -> ids linking to it. */
    final Map<Long, Set<Long>> overlayLeadsByContact = new HashMap<>();

    final Map<Long, Set<Long>> overlayLeadsByCompany = new HashMap<>();
    final Map<Long, Set<Long>> overlayContactsByCompany = new HashMap<>();
    private final List<Consumer<AccountData.Change>> listeners = new CopyOnWriteArrayList<>();

    AccountStore(long seed, AccountShape shape, int historyDays, SandboxClock clock, Fidelity fidelity) {
        this.clock = clock;
        this.fidelity = fidelity;
        this.gen = new AccountGenerator(seed, shape, clock.nowSeconds(), historyDays);
        this.events = new EventLog(gen, Hash.random(seed, 999, 0));
        this.leads = new EntityTable<>("leads", gen.leads, gen::lead, Lead::id, Lead::createdAt, Lead::updatedAt);
        this.contacts = new EntityTable<>(
                "contacts", gen.contacts, gen::contact, Contact::id, Contact::createdAt, Contact::updatedAt);
        this.companies = new EntityTable<>(
                "companies", gen.companies, gen::company, Company::id, Company::createdAt, Company::updatedAt);
        this.tasks = new EntityTable<>("tasks", gen.tasks, gen::task, Task::id, Task::createdAt, Task::updatedAt);
        for (String type : List.of("leads", "contacts", "companies", "customers")) {
            notes.put(
                    type,
                    new EntityTable<>(
                            type + "_notes",
                            gen.notes.get(type),
                            n -> gen.note(type, n),
                            Note::id,
                            Note::createdAt,
                            Note::updatedAt));
        }
        this.unsorted = new EntityTable<>(
                "unsorted", gen.unsorted, gen::unsortedItem, Unsorted::seq, Unsorted::createdAt, Unsorted::createdAt);
        this.customers = new EntityTable<>(
                "customers", gen.customers, gen::customer, Customer::id, Customer::createdAt, Customer::updatedAt);
        this.transactions = new EntityTable<>(
                "transactions",
                gen.transactions,
                gen::transaction,
                CustomerTransaction::id,
                CustomerTransaction::createdAt,
                CustomerTransaction::updatedAt);
        gen.elements.forEach((catalog, layout) -> elements.put(
                catalog,
                new EntityTable<>(
                        "catalog_elements_" + catalog,
                        layout,
                        e -> gen.element(catalog, e),
                        CatalogElement::id,
                        CatalogElement::createdAt,
                        CatalogElement::updatedAt)));
    }

    /** Counts mutations: a response rendered at one version stays right until the next. */
    long version() {
        return version.get();
    }

    /** Receives deletes and restores after they are applied (the webhook sender listens). */
    void onChange(Consumer<AccountData.Change> listener) {
        listeners.add(listener);
    }

    /** Stores a contact and keeps the company -> contacts index of overlay records right. */
    void putContact(Contact c) {
        Contact old = contacts.findAny(c.id());
        if (old != null && old.companyId() != null && !old.companyId().equals(c.companyId())) {
            Set<Long> set = overlayContactsByCompany.get(old.companyId());
            if (set != null) {
                set.remove(c.id());
            }
        }
        contacts.put(c);
        if (c.companyId() != null) {
            overlayContactsByCompany
                    .computeIfAbsent(c.companyId(), k -> new TreeSet<>())
                    .add(c.id());
        }
    }

    /** Stores a lead and indexes its links, so reverse lookups find overlay records. */
    void putLead(Lead lead) {
        leads.put(lead);
        for (ContactLink c : lead.contacts()) {
            overlayLeadsByContact
                    .computeIfAbsent(c.contactId(), k -> new TreeSet<>())
                    .add(lead.id());
        }
        if (lead.companyId() != null) {
            overlayLeadsByCompany
                    .computeIfAbsent(lead.companyId(), k -> new TreeSet<>())
                    .add(lead.id());
        }
    }

    Lead liveLead(long id) {
        return require(leads.find(id), "leads", id);
    }

    static <T> T require(T rec, String entity, long id) {
        if (rec == null) {
            throw new IllegalArgumentException("no live " + entity + " with id " + id);
        }
        return rec;
    }

    /** Stores an edited lead with updated_at moved to now, by the account's first user. */
    Lead edit(Lead changed) {
        Lead lead = changed.withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
        putLead(lead);
        return lead;
    }

    /** Moves updated_at of a lead, contact, company or task to {@code now}. */
    void bumpAny(String entity, long id, long now) {
        long user = gen.ref.users.get(0).id();
        switch (entity) {
            case "leads" -> putLead(leads.find(id).withUpdate(now, user));
            case "contacts" -> putContact(contacts.find(id).withUpdate(now, user));
            case "companies" -> companies.put(companies.find(id).withUpdate(now, user));
            case "tasks" -> tasks.put(tasks.find(id).withUpdate(now, user));
            default -> throw new IllegalArgumentException(entity);
        }
    }

    /** The tag of that name, created (with the next free id) when the account has none. */
    Tag tagNamed(String entityType, String name) {
        List<Tag> pool = gen.ref.tags.get(entityType);
        for (Tag t : pool) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        long id = pool.stream().mapToLong(Tag::id).max().orElse(3_900_000) + 1;
        Tag created = new Tag(entityType, id, name, null);
        pool.add(created);
        return created;
    }

    EntityTable<?> table(String entity) {
        return switch (entity) {
            case "leads" -> leads;
            case "contacts" -> contacts;
            case "companies" -> companies;
            case "tasks" -> tasks;
            default ->
                throw new IllegalArgumentException("no entity " + entity + " (leads, contacts, companies, tasks)");
        };
    }

    static String singular(String entity) {
        return switch (entity) {
            case "leads" -> "lead";
            case "contacts" -> "contact";
            case "companies" -> "company";
            case "tasks" -> "task";
            default -> throw new IllegalArgumentException(entity);
        };
    }

    /** Writes one event of a mutation, stamped as given (the events log keeps it). */
    void addEvent(
            String type,
            long entityId,
            String entityType,
            long user,
            long at,
            List<Map<String, Object>> after,
            List<Map<String, Object>> before) {
        events.add(type, entityId, entityType, user, at, after, before);
    }

    void notifyListeners(AccountData.Change change) {
        for (Consumer<AccountData.Change> l : listeners) {
            l.accept(change);
        }
    }

    <T> T read(Supplier<T> body) {
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T write(Supplier<T> body) {
        lock.writeLock().lock();
        try {
            version.incrementAndGet();
            return body.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
