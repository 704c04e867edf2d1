package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.Lead;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Reverse links ({@code with=leads}, {@code with=contacts}, {@code with=customers}): which live
 * records link to a contact or company. Base records' links are derived from their indexes, so
 * only the few candidates near the proportional index are checked; overlay records are found
 * through the store's indexes.
 */
final class LinkQueries {
    private final AccountStore store;
    private final AccountGenerator gen;
    private final EntityTable<Lead> leads;
    private final EntityTable<Contact> contacts;
    private final EntityTable<Company> companies;
    private final EntityTable<Customer> customers;
    private final Map<Long, Set<Long>> overlayLeadsByContact;
    private final Map<Long, Set<Long>> overlayLeadsByCompany;
    private final Map<Long, Set<Long>> overlayContactsByCompany;

    LinkQueries(AccountStore store) {
        this.store = store;
        this.gen = store.gen;
        this.leads = store.leads;
        this.contacts = store.contacts;
        this.companies = store.companies;
        this.customers = store.customers;
        this.overlayLeadsByContact = store.overlayLeadsByContact;
        this.overlayLeadsByCompany = store.overlayLeadsByCompany;
        this.overlayContactsByCompany = store.overlayContactsByCompany;
    }

    /** Ids of the live leads linked to a contact ({@code with=leads}). */
    List<Long> contactLeads(long contactId) {
        return store.read(() -> reverse(
                contactId,
                contacts,
                gen.shape.leads(),
                gen.shape.contacts(),
                leads,
                i -> contains(gen.leadContacts(i), contacts.layout.indexOf(contactId)),
                overlayLeadsByContact,
                id -> leads.find(id).contacts().stream().anyMatch(c -> c.contactId() == contactId)));
    }

    /**
     * Ids of the live customers linked to a contact ({@code with=customers}, docs/amocrm-api.md §3.4).
     * Customers link contacts only (their {@code contactIds}), derived as
     * floor(i * nContacts / nCustomers); customers are never mutated, so there is no overlay.
     */
    List<Long> contactCustomers(long contactId) {
        return store.read(() -> reverse(
                contactId,
                contacts,
                gen.shape.customers(),
                gen.shape.contacts(),
                customers,
                i -> customers.base(i).contactIds().contains(contactId),
                Map.of(),
                id -> customers.find(id).contactIds().contains(contactId)));
    }

    /** Ids of the live leads linked to a company. */
    List<Long> companyLeads(long companyId) {
        return store.read(() -> reverse(
                companyId,
                companies,
                gen.shape.leads(),
                gen.shape.companies(),
                leads,
                i -> gen.leadCompany(i) == companies.layout.indexOf(companyId),
                overlayLeadsByCompany,
                id -> Long.valueOf(companyId).equals(leads.find(id).companyId())));
    }

    /** Ids of the live contacts linked to a company. */
    List<Long> companyContacts(long companyId) {
        return store.read(() -> reverse(
                companyId,
                companies,
                gen.shape.contacts(),
                gen.shape.companies(),
                contacts,
                j -> gen.contactCompany(j) == companies.layout.indexOf(companyId),
                overlayContactsByCompany,
                id -> Long.valueOf(companyId).equals(contacts.find(id).companyId())));
    }

    /**
     * Ids on the "from" side linked to {@code targetId}: base candidates near the proportional
     * index (links are derived as floor(i * nTarget / nFrom)), plus overlay records indexed by
     * target.
     */
    private <F> List<Long> reverse(
            long targetId,
            EntityTable<?> targets,
            int nFrom,
            int nTarget,
            EntityTable<F> from,
            IntPredicate baseLinks,
            Map<Long, Set<Long>> overlayIndex,
            Predicate<Long> overlayLinks) {
        TreeSet<Long> out = new TreeSet<>();
        int target = targets.layout.indexOf(targetId);
        if (target >= 0) {
            long lo = Math.max(0, Math.floorDiv((long) (target - 1) * nFrom, nTarget) - 1);
            long hi = Math.min(nFrom - 1L, Math.floorDiv((long) (target + 2) * nFrom, nTarget) + 1);
            for (long i = lo; i <= hi; i++) {
                long id = from.layout.id((int) i);
                if (!from.isOverlaid(id) && baseLinks.test((int) i)) {
                    out.add(id);
                }
            }
        }
        for (long id : overlayIndex.getOrDefault(targetId, Set.of())) {
            if (from.isLive(id) && overlayLinks.test(id)) {
                out.add(id);
            }
        }
        return List.copyOf(out);
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
