package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.data.EntityTable.OrderKey;
import io.amocrmetl.sandbox.model.AccountInfo;
import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.CatalogLink;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.Unsorted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The ground truth: the whole account as it is now, live and deleted records alike, for tests to
 * compare a lake against; O(account size), for tests and small accounts.
 */
final class TruthSnapshot {
    private final AccountStore store;
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
    private final ListPages pages;
    private final Supplier<AccountInfo> account;

    TruthSnapshot(AccountStore store, ListPages pages, Supplier<AccountInfo> account) {
        this.store = store;
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
        this.pages = pages;
        this.account = account;
    }

    /** The whole account as it is now, cut under the read lock. */
    GroundTruth take() {
        return store.read(() -> {
            Map<String, GroundTruth.Entities<Note>> noteTruth = new LinkedHashMap<>();
            notes.forEach((type, table) -> noteTruth.put(type, entities(table, Function.identity())));
            Map<String, List<Tag>> tagCopy = new LinkedHashMap<>();
            gen.ref.tags.forEach((k, v) -> tagCopy.put(k, List.copyOf(v)));
            Map<String, List<CustomFieldDef>> fieldCopy = new LinkedHashMap<>();
            gen.ref.fields.forEach((k, v) -> fieldCopy.put(k, List.copyOf(v)));
            Map<Long, GroundTruth.Entities<CatalogElement>> elementTruth = new LinkedHashMap<>();
            elements.forEach((catalog, table) -> elementTruth.put(catalog, entities(table, Function.identity())));
            GroundTruth.Entities<Lead> leadTruth = entities(leads, pages::present);
            // Deleted leads too: their products are what they held when deleted (a soft delete keeps them).
            Map<Long, List<CatalogLink>> links = new LinkedHashMap<>();
            List<Lead> withDeleted = new ArrayList<>(leadTruth.live());
            leadTruth.deleted().forEach(d -> withDeleted.add(d.record()));
            for (Lead l : withDeleted) {
                List<CatalogLink> ls = pages.leadCatalogElements(l.id());
                if (!ls.isEmpty()) {
                    links.put(l.id(), ls);
                }
            }
            return new GroundTruth(
                    clock.nowSeconds(),
                    account.get(),
                    List.copyOf(gen.ref.users),
                    List.copyOf(gen.ref.pipelines),
                    List.copyOf(gen.ref.lossReasons),
                    tagCopy,
                    fieldCopy,
                    leadTruth,
                    entities(contacts, pages::present),
                    entities(companies, Function.identity()),
                    entities(tasks, Function.identity()),
                    noteTruth,
                    store.events.list(Long.MIN_VALUE, Long.MAX_VALUE, e -> true),
                    entities(unsorted, Function.identity()),
                    entities(customers, Function.identity()),
                    entities(transactions, Function.identity()),
                    List.copyOf(gen.ref.catalogs),
                    elementTruth,
                    links);
        });
    }

    private <T> GroundTruth.Entities<T> entities(EntityTable<T> table, Function<T, T> view) {
        List<T> live = new ArrayList<>();
        table.scan(OrderKey.ID, false, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, r -> true)
                .forEachRemaining(r -> live.add(view.apply(r)));
        List<GroundTruth.Deleted<T>> deleted = new ArrayList<>();
        table.deletions().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e ->
                        deleted.add(new GroundTruth.Deleted<>(markDeleted(table.findAny(e.getKey())), e.getValue())));
        return new GroundTruth.Entities<>(List.copyOf(live), List.copyOf(deleted));
    }

    @SuppressWarnings("unchecked")
    private static <T> T markDeleted(T rec) {
        if (rec instanceof Lead l) {
            return (T) l.withDeleted(true);
        }
        return rec;
    }
}
