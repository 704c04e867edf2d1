package io.amocrmetl.sandbox.data;

import static io.amocrmetl.sandbox.data.AccountStore.require;
import static io.amocrmetl.sandbox.data.AccountStore.singular;

import io.amocrmetl.sandbox.data.EntityTable.OrderKey;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Unsorted;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.LongStream;

/**
 * Deletes and restores as amoCRM's recycle bin has them: a delete writes {@code *_deleted} and
 * tells the webhook sender; the bin lists ({@code with=only_deleted}) and restores only what it
 * still keeps; and the id-only views of what is live or deleted.
 */
final class Deletions {
    private final AccountStore store;
    private final SandboxClock clock;
    private final AccountGenerator gen;
    private final Fidelity fidelity;
    private final EntityTable<Lead> leads;
    private final EntityTable<Contact> contacts;
    private final EntityTable<Company> companies;
    private final EntityTable<Unsorted> unsorted;

    Deletions(AccountStore store) {
        this.store = store;
        this.clock = store.clock;
        this.gen = store.gen;
        this.fidelity = store.fidelity;
        this.leads = store.leads;
        this.contacts = store.contacts;
        this.companies = store.companies;
        this.unsorted = store.unsorted;
    }

    /**
     * Accepts or declines an unsorted item: it leaves the unsorted list and webhooks report an
     * unsorted delete with that outcome (docs/amocrm-api.md §6.2). No event exists for it (§4.3).
     */
    void decideUnsorted(String uid, boolean accept) {
        AccountData.Change change = store.write(() -> {
            Unsorted u = null;
            Iterator<Unsorted> it = unsorted.scan(
                    OrderKey.ID,
                    false,
                    Long.MIN_VALUE,
                    Long.MAX_VALUE,
                    Long.MIN_VALUE,
                    Long.MAX_VALUE,
                    x -> x.uid().equals(uid));
            if (it.hasNext()) {
                u = it.next();
            }
            require(u, "unsorted", -1);
            unsorted.markDeleted(u.seq(), clock.nowSeconds());
            return new AccountData.Change("unsorted", "delete", u.seq(), u, accept ? "accept" : "decline");
        });
        store.notifyListeners(change);
    }

    /**
     * Deletes a lead, contact, company or task: it leaves the lists, a {@code *_deleted} event is
     * written (docs/amocrm-api.md §4.3, §7), and webhooks hear of it (§6.2).
     */
    void delete(String entity, long id) {
        AccountData.Change change = store.write(() -> {
            long now = clock.nowSeconds();
            EntityTable<?> table = store.table(entity);
            Object rec = require(table.find(id), entity, id);
            table.markDeleted(id, now);
            store.addEvent(
                    singular(entity) + "_deleted",
                    id,
                    singular(entity),
                    gen.ref.users.get(0).id(),
                    now,
                    List.of(),
                    List.of());
            return new AccountData.Change(entity, "delete", id, rec);
        });
        store.notifyListeners(change);
    }

    /**
     * Brings a deleted lead, contact, company or task back to the lists. Leads, contacts and
     * companies write {@code *_restored}; tasks have no restore event (docs/amocrm-api.md §4.3), so none.
     * Whether updated_at moves is a fidelity switch.
     */
    void restore(String entity, long id) {
        AccountData.Change change = store.write(() -> {
            EntityTable<?> table = store.table(entity);
            Long deletedAt = table.deletedAt(id);
            if (deletedAt == null) {
                throw new IllegalArgumentException(entity + " " + id + " is not deleted");
            }
            if (!inBin(deletedAt)) {
                throw new IllegalArgumentException(entity + " " + id + " was deleted at " + deletedAt
                        + ", longer ago than the recycle bin keeps entities (" + fidelity.binRetentionDays + " days)");
            }
            table.restore(id);
            long now = clock.nowSeconds();
            if (fidelity.restoreBumpsUpdatedAt) {
                store.bumpAny(entity, id, now);
            }
            if (!entity.equals("tasks")) {
                store.addEvent(
                        singular(entity) + "_restored",
                        id,
                        singular(entity),
                        gen.ref.users.get(0).id(),
                        now,
                        List.of(),
                        List.of());
            }
            return new AccountData.Change(entity, "restore", id, table.find(id));
        });
        store.notifyListeners(change);
    }

    /**
     * Deleted leads, as {@code with=only_deleted} lists them (docs/amocrm-api.md §7): only those still
     * restorable, i.e. still in the bin ({@link Fidelity#binRetentionDays}, §9.4); ordered by id.
     */
    PageResult<Lead> deletedLeads(int page, int limit) {
        return store.read(() ->
                binPage(leads, page, limit, (l, at) -> l.withDeleted(true).withUpdate(at, l.updatedBy())));
    }

    /**
     * Deleted companies still in the bin, for {@code with=only_deleted} on companies (reference
     * §3.4, §7; the SDK offers it for contacts and companies), updated_at set to the deletion.
     */
    PageResult<Company> deletedCompanies(int page, int limit) {
        return store.read(() -> binPage(companies, page, limit, (c, at) -> c.withUpdate(at, c.updatedBy())));
    }

    /** Deleted contacts still in the bin, for {@code with=only_deleted} on contacts (§7, SDK). */
    PageResult<Contact> deletedContacts(int page, int limit) {
        return store.read(() -> binPage(contacts, page, limit, (c, at) -> c.withUpdate(at, c.updatedBy())));
    }

    private <T> PageResult<T> binPage(EntityTable<T> table, int page, int limit, BiFunction<T, Long, T> asDeleted) {
        List<Long> ids = new ArrayList<>();
        new TreeMap<>(table.deletions()).forEach((id, at) -> {
            if (inBin(at)) {
                ids.add(id);
            }
        });
        int start = (int) Math.min(ids.size(), (long) (page - 1) * limit);
        int end = Math.min(ids.size(), start + limit);
        List<T> out = new ArrayList<>();
        for (long id : ids.subList(start, end)) {
            out.add(asDeleted.apply(table.findAny(id), table.deletedAt(id)));
        }
        return new PageResult<>(out, end < ids.size());
    }

    /**
     * Whether an entity deleted at {@code deletedAt} is still in the recycle bin, so listed by
     * {@code with=only_deleted} and restorable (docs/amocrm-api.md §7, §9.4).
     */
    private boolean inBin(long deletedAt) {
        int days = fidelity.binRetentionDays;
        return days <= 0 || deletedAt >= clock.nowSeconds() - days * 86_400L;
    }

    int deletedCount(String entity) {
        return store.read(() -> store.table(entity).deletions().size());
    }

    /** Live ids of an entity, ascending, without generating records: cheap at millions. */
    long[] liveIds(String entity) {
        return store.read(() -> {
            EntityTable<?> table = store.table(entity);
            LongStream.Builder out = LongStream.builder();
            for (int i = 0; i < table.layout.n; i++) {
                long id = table.layout.id(i);
                if (!table.isOverlaid(id)) {
                    out.add(id);
                }
            }
            for (Object rec : table.overlayRecords()) {
                out.add(idOfAny(table, rec));
            }
            return out.build().sorted().toArray();
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> long idOfAny(EntityTable<T> table, Object rec) {
        return table.idOf((T) rec);
    }
}
