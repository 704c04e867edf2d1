package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.CatalogLink;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.Unsorted;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Derives every base record of an account from (seed, kind, index): pure functions, no state
 * besides the layouts and the reference data. The rest are random but realistic; the first
 * records of each kind are fixed edge cases, so every seed carries them:
 * <ul>
 *   <li>lead 0, contact 0 and company 0 hold a value for every custom field of their type (so
 *       lead 0 has every type of docs/amocrm-api.md §2.3), tags, contacts and a company;</li>
 *   <li>lead 1, contact 1 and company 1 have {@code custom_fields_values: null};</li>
 *   <li>lead 2 has empty {@code _embedded} lists, price 0 and null optional fields;</li>
 *   <li>leads 3..7, contacts 2..4 and company 1 carry hostile names (quotes, emoji, newlines);</li>
 *   <li>the last two records of every kind have ids above 2^32 ({@link KindLayout#TAIL}).</li>
 * </ul>
 * This class holds the layouts (where each kind sits in id and time) and is the one entry point;
 * each kind's records are drawn by a class of their own ({@link LeadRecords},
 * {@link ContactAndCompanyRecords}, {@link TaskAndNoteRecords}, {@link UnsortedRecords},
 * {@link CustomerRecords}, {@link CatalogElementRecords}), with the links between base records in
 * {@link BaseLinks}, their histories in {@link BaseEvents} and custom fields and tags in
 * {@link FieldsAndTags}. Every record draws from its own random stream, so moving code between
 * them changes nothing as long as each method's draws keep their order.
 */
final class AccountGenerator {
    /** Random stream numbers of the kinds (also the layouts' streams). */
    static final int LEADS = 1;

    static final int CONTACTS = 2;
    static final int COMPANIES = 3;
    static final int TASKS = 4;
    static final int LEAD_NOTES = 5;
    static final int CONTACT_NOTES = 6;
    static final int COMPANY_NOTES = 7;
    static final int UNSORTED = 8;
    static final int CUSTOMERS = 9;
    static final int TRANSACTIONS = 10;
    static final int CUSTOMER_NOTES = 11;
    static final int ELEMENTS = 12;
    static final long DAY = 86_400;

    final long seed;
    final AccountShape shape;
    final ReferenceData ref;
    final KindLayout leads;
    final KindLayout contacts;
    final KindLayout companies;
    final KindLayout tasks;
    final Map<String, KindLayout> notes;
    final KindLayout unsorted;
    final KindLayout customers;
    final KindLayout transactions;
    /** List elements per catalog: products 60%, the regular list 30%, invoices 10%. */
    final Map<Long, KindLayout> elements;

    final FieldsAndTags fields;
    final BaseLinks links;
    final LeadRecords leadRecords;
    final ContactAndCompanyRecords contactsAndCompanies;
    final TaskAndNoteRecords activities;
    final UnsortedRecords unsortedRecords;
    final CustomerRecords customerRecords;
    final CatalogElementRecords elementRecords;
    final BaseEvents events;

    AccountGenerator(long seed, AccountShape shape, long now, int historyDays) {
        this.seed = seed;
        this.shape = shape;
        long end = now - 600;
        long span = historyDays * DAY;
        this.ref = new ReferenceData(seed, shape.leads(), end - span - 30 * DAY);
        this.leads = new KindLayout(seed, LEADS, shape.leads(), 30_000_001, 5, end - span - 3 * DAY, span, 3 * DAY);
        this.contacts = new KindLayout(seed, CONTACTS, shape.contacts(), 40_000_001, 5, end - span - DAY, span, DAY);
        this.companies =
                new KindLayout(seed, COMPANIES, shape.companies(), 45_000_001, 7, end - span - 2 * DAY, span, 2 * DAY);
        this.tasks = new KindLayout(seed, TASKS, shape.tasks(), 20_000_001, 3, end - span - 2 * DAY, span, 2 * DAY);
        this.notes = Map.of(
                "leads", new KindLayout(seed, LEAD_NOTES, shape.leadNotes(), 50_000_001, 3, end - span, span, 0),
                "contacts",
                        new KindLayout(seed, CONTACT_NOTES, shape.contactNotes(), 60_000_001, 3, end - span, span, 0),
                "companies",
                        new KindLayout(seed, COMPANY_NOTES, shape.companyNotes(), 70_000_001, 3, end - span, span, 0),
                "customers",
                        new KindLayout(
                                seed, CUSTOMER_NOTES, shape.customerNotes(), 75_000_001, 3, end - span, span, 0));
        // Unsorted has no updated_at of its own: its cursor is created_at (docs/lakehouse.md), so no lag.
        this.unsorted = new KindLayout(seed, UNSORTED, shape.unsorted(), 1, 1, end - span, span, 0);
        this.customers = new KindLayout(seed, CUSTOMERS, shape.customers(), 80_000_001, 3, end - span - DAY, span, DAY);
        this.transactions =
                new KindLayout(seed, TRANSACTIONS, shape.transactions(), 85_000_001, 2, end - span, span, 0);
        int products = shape.catalogElements() * 6 / 10;
        int regular = shape.catalogElements() * 3 / 10;
        this.elements = new LinkedHashMap<>();
        elements.put(
                ReferenceData.PRODUCTS, new KindLayout(seed, ELEMENTS, products, 90_000_001, 2, end - span, span, DAY));
        elements.put(
                ReferenceData.REGULAR,
                new KindLayout(seed, ELEMENTS + 1, regular, 91_000_001, 2, end - span, span, DAY));
        elements.put(
                ReferenceData.INVOICES,
                new KindLayout(
                        seed,
                        ELEMENTS + 2,
                        Math.max(3, shape.catalogElements() - products - regular),
                        92_000_001,
                        2,
                        end - span,
                        span,
                        DAY));
        // The roles read the layouts above; they keep no state of their own.
        this.fields = new FieldsAndTags(ref);
        this.links = new BaseLinks(seed, shape);
        this.leadRecords = new LeadRecords(this);
        this.contactsAndCompanies = new ContactAndCompanyRecords(this);
        this.activities = new TaskAndNoteRecords(this);
        this.unsortedRecords = new UnsortedRecords(this);
        this.customerRecords = new CustomerRecords(this);
        this.elementRecords = new CatalogElementRecords(this);
        this.events = new BaseEvents(this);
    }

    // ---- the records, by base index -----------------------------------------------------------

    Lead lead(int i) {
        return leadRecords.lead(i);
    }

    Contact contact(int j) {
        return contactsAndCompanies.contact(j);
    }

    Company company(int k) {
        return contactsAndCompanies.company(k);
    }

    Task task(int t) {
        return activities.task(t);
    }

    Note note(String entityType, int n) {
        return activities.note(entityType, n);
    }

    Unsorted unsortedItem(int i) {
        return unsortedRecords.unsortedItem(i);
    }

    Customer customer(int i) {
        return customerRecords.customer(i);
    }

    CustomerTransaction transaction(int t) {
        return customerRecords.transaction(t);
    }

    CatalogElement element(long catalogId, int e) {
        return elementRecords.element(catalogId, e);
    }

    // ---- links (by base index) ----------------------------------------------------------------

    int[] leadContacts(int i) {
        return links.leadContacts(i);
    }

    int leadCompany(int i) {
        return links.leadCompany(i);
    }

    int contactCompany(int j) {
        return links.contactCompany(j);
    }

    List<CatalogLink> leadCatalogElements(int i) {
        return elementRecords.leadCatalogElements(i);
    }

    // ---- events -------------------------------------------------------------------------------

    List<Event> leadEvents(int i) {
        return events.leadEvents(i);
    }

    List<Event> contactEvents(int j) {
        return events.contactEvents(j);
    }

    List<Event> companyEvents(int k) {
        return events.companyEvents(k);
    }

    List<Event> taskEvents(int t) {
        return events.taskEvents(t);
    }

    static Map<String, Object> leadStatus(long statusId, long pipelineId) {
        return BaseEvents.leadStatus(statusId, pipelineId);
    }

    Event event(
            SplittableRandom r,
            String type,
            long entityId,
            String entityType,
            long user,
            long at,
            List<Map<String, Object>> after,
            List<Map<String, Object>> before) {
        return events.event(r, type, entityId, entityType, user, at, after, before);
    }
}
