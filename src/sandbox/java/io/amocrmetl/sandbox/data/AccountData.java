package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.data.EntityTable.OrderKey;
import io.amocrmetl.sandbox.model.AccountInfo;
import io.amocrmetl.sandbox.model.Catalog;
import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.CatalogLink;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Unsorted;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.ContactLink;
import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.LossReason;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.TagRef;

/**
 * A whole simulated account: reference data, entity tables, links, events and mutations.
 * Readers (HTTP requests, ground truth) hold the read lock while they build a page; mutations
 * hold the write lock, so a page is always cut from one consistent state.
 */
public final class AccountData {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
    private final SandboxClock clock;
    private final AccountGenerator gen;
    private final AccountInfo info;
    private final EntityTable<Lead> leads;
    private final EntityTable<Contact> contacts;
    private final EntityTable<Company> companies;
    private final EntityTable<Task> tasks;
    private final Map<String, EntityTable<Note>> notes = new LinkedHashMap<>();
    private final EntityTable<Unsorted> unsorted;
    private final EntityTable<Customer> customers;
    private final EntityTable<CustomerTransaction> transactions;
    private final Map<Long, EntityTable<CatalogElement>> elements = new LinkedHashMap<>();
    private final List<Event> mutationEvents = new ArrayList<>();
    /** Reverse links of overlay records: contact or company id -> ids linking to it. */
    private final Map<Long, Set<Long>> overlayLeadsByContact = new HashMap<>();
    private final Map<Long, Set<Long>> overlayLeadsByCompany = new HashMap<>();
    private final Map<Long, Set<Long>> overlayContactsByCompany = new HashMap<>();
    private final SplittableRandom mutationRandom;
    private final Fidelity fidelity;
    private final List<java.util.function.Consumer<Change>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String timezone;

    /**
     * @param seed drives every generated value
     * @param shape how many entities of each kind
     * @param historyDays how far back base records' timestamps reach
     * @param fidelity the switches for undocumented behaviour, read at every request
     */
    public AccountData(long seed, AccountShape shape, int historyDays, SandboxClock clock, Fidelity fidelity) {
        this.clock = clock;
        this.fidelity = fidelity;
        this.gen = new AccountGenerator(seed, shape, clock.nowSeconds(), historyDays);
        this.mutationRandom = Hash.random(seed, 999, 0);
        User admin = gen.ref.users.get(0);
        this.info = new AccountInfo(29_000_000L + Math.floorMod(seed, 1_000_000L), "Песочница \"amoCRM\" #" + seed,
                "sandbox" + Math.floorMod(seed, 1_000_000L), gen.leads.createdAt(0) - 30L * 86_400, admin.id(), "RU",
                "RUB", "₽", "dynamic", "Europe/Moscow", true);
        this.leads = new EntityTable<>("leads", gen.leads, gen::lead, Lead::id, Lead::createdAt, Lead::updatedAt);
        this.contacts = new EntityTable<>("contacts", gen.contacts, gen::contact, Contact::id, Contact::createdAt, Contact::updatedAt);
        this.companies = new EntityTable<>("companies", gen.companies, gen::company, Company::id, Company::createdAt, Company::updatedAt);
        this.tasks = new EntityTable<>("tasks", gen.tasks, gen::task, Task::id, Task::createdAt, Task::updatedAt);
        for (String type : List.of("leads", "contacts", "companies", "customers")) {
            notes.put(type, new EntityTable<>(type + "_notes", gen.notes.get(type), n -> gen.note(type, n),
                    Note::id, Note::createdAt, Note::updatedAt));
        }
        this.unsorted = new EntityTable<>("unsorted", gen.unsorted, gen::unsortedItem, Unsorted::seq,
                Unsorted::createdAt, Unsorted::createdAt);
        this.customers = new EntityTable<>("customers", gen.customers, gen::customer, Customer::id,
                Customer::createdAt, Customer::updatedAt);
        this.transactions = new EntityTable<>("transactions", gen.transactions, gen::transaction,
                CustomerTransaction::id, CustomerTransaction::createdAt, CustomerTransaction::updatedAt);
        gen.elements.forEach((catalog, layout) -> elements.put(catalog, new EntityTable<>("catalog_elements_" + catalog,
                layout, e -> gen.element(catalog, e), CatalogElement::id, CatalogElement::createdAt, CatalogElement::updatedAt)));
    }

    public SandboxClock clock() {
        return clock;
    }

    /** Counts mutations: a response rendered at one version stays right until the next. */
    public long version() {
        return version.get();
    }

    // ---- reference data ------------------------------------------------------------------

    /** The account as {@code /api/v4/account} shows it now. */
    public AccountInfo account() {
        return new AccountInfo(info.id(), info.name(), info.subdomain(), info.createdAt(), info.currentUserId(),
                info.country(), info.currency(), info.currencySymbol(), info.customersMode(),
                timezone != null ? timezone : info.timezone(), fidelity.apiFilterEnabled);
    }

    /** Sets the account's time zone ({@code datetime_settings.timezone}), e.g. "UTC"; the default is Europe/Moscow. */
    public void timezone(String zone) {
        java.time.ZoneId.of(zone); // refuses an unknown zone here, not at the next request
        this.timezone = zone;
    }

    public Fidelity fidelity() {
        return fidelity;
    }

    public List<User> users() {
        return read(() -> List.copyOf(gen.ref.users));
    }

    public List<Pipeline> pipelines() {
        return read(() -> List.copyOf(gen.ref.pipelines));
    }

    public List<LossReason> lossReasons() {
        return read(() -> List.copyOf(gen.ref.lossReasons));
    }

    public List<Tag> tags(String entityType) {
        return read(() -> List.copyOf(gen.ref.tags.get(entityType)));
    }

    /** Custom fields of an entity type, or of a list as {@code catalogs/<id>}; empty when unknown. */
    public List<CustomFieldDef> customFields(String entityType) {
        return read(() -> List.copyOf(gen.ref.fields.getOrDefault(entityType, List.of())));
    }

    public List<Catalog> catalogs() {
        return read(() -> List.copyOf(gen.ref.catalogs));
    }

    public PageResult<Unsorted> unsorted(ListQuery<Unsorted> q, int page, int limit) {
        return read(() -> page(unsorted, q, page, limit, Function.identity()));
    }

    public PageResult<Customer> customers(ListQuery<Customer> q, int page, int limit) {
        return read(() -> page(customers, q, page, limit, Function.identity()));
    }

    public PageResult<CustomerTransaction> transactions(ListQuery<CustomerTransaction> q, int page, int limit) {
        return read(() -> page(transactions, q, page, limit, Function.identity()));
    }

    /** Elements of one list, or null when there is no such list. */
    public PageResult<CatalogElement> catalogElements(long catalogId, ListQuery<CatalogElement> q, int page, int limit) {
        return read(() -> elements.containsKey(catalogId) ? page(elements.get(catalogId), q, page, limit, Function.identity()) : null);
    }

    /** The list elements linked to a lead ({@code with=catalog_elements}); base leads only. */
    public List<CatalogLink> leadCatalogElements(long leadId) {
        int i = gen.leads.indexOf(leadId);
        return i < 0 ? List.of() : gen.leadCatalogElements(i);
    }

    // ---- lists ---------------------------------------------------------------------------

    public PageResult<Lead> leads(ListQuery<Lead> q, int page, int limit) {
        return read(() -> page(leads, q, page, limit, this::present));
    }

    public PageResult<Contact> contacts(ListQuery<Contact> q, int page, int limit) {
        return read(() -> page(contacts, q, page, limit, this::present));
    }

    public PageResult<Company> companies(ListQuery<Company> q, int page, int limit) {
        return read(() -> page(companies, q, page, limit, Function.identity()));
    }

    public PageResult<Task> tasks(ListQuery<Task> q, int page, int limit) {
        return read(() -> page(tasks, q, page, limit, Function.identity()));
    }

    public PageResult<Note> notes(String entityType, ListQuery<Note> q, int page, int limit) {
        return read(() -> page(notes.get(entityType), q, page, limit, Function.identity()));
    }

    /**
     * Events with created_at in [from, to] passing the filter, ordered by (created_at, id), as
     * {@code /api/v4/events} lists them: events older than {@link Fidelity#eventsRetentionDays}
     * are gone from the list (reference §9.3), though ground truth keeps them.
     */
    public PageResult<Event> events(long from, long to, Predicate<Event> filter, int page, int limit) {
        return read(() -> {
            int days = fidelity.eventsRetentionDays;
            long kept = days > 0 ? Math.max(from, clock.nowSeconds() - days * 86_400L) : from;
            List<Event> all = events(kept, to, filter);
            int start = (int) Math.min(all.size(), (long) (page - 1) * limit);
            int end = Math.min(all.size(), start + limit);
            return new PageResult<>(List.copyOf(all.subList(start, end)), end < all.size());
        });
    }

    /** Ids of the live leads linked to a contact ({@code with=leads}). */
    public List<Long> contactLeads(long contactId) {
        return read(() -> reverse(contactId, contacts, gen.shape.leads(), gen.shape.contacts(), leads,
                i -> contains(gen.leadContacts(i), contacts.layout.indexOf(contactId)), overlayLeadsByContact,
                id -> leads.find(id).contacts().stream().anyMatch(c -> c.contactId() == contactId)));
    }

    /**
     * Ids of the live customers linked to a contact ({@code with=customers}, reference §3.4).
     * Customers link contacts only (their {@code contactIds}), derived as
     * floor(i * nContacts / nCustomers); customers are never mutated, so there is no overlay.
     */
    public List<Long> contactCustomers(long contactId) {
        return read(() -> reverse(contactId, contacts, gen.shape.customers(), gen.shape.contacts(), customers,
                i -> customers.base(i).contactIds().contains(contactId), Map.of(),
                id -> customers.find(id).contactIds().contains(contactId)));
    }

    /** Ids of the live leads linked to a company. */
    public List<Long> companyLeads(long companyId) {
        return read(() -> reverse(companyId, companies, gen.shape.leads(), gen.shape.companies(), leads,
                i -> gen.leadCompany(i) == companies.layout.indexOf(companyId), overlayLeadsByCompany,
                id -> Long.valueOf(companyId).equals(leads.find(id).companyId())));
    }

    /** Ids of the live contacts linked to a company. */
    public List<Long> companyContacts(long companyId) {
        return read(() -> reverse(companyId, companies, gen.shape.contacts(), gen.shape.companies(), contacts,
                j -> gen.contactCompany(j) == companies.layout.indexOf(companyId), overlayContactsByCompany,
                id -> Long.valueOf(companyId).equals(contacts.find(id).companyId())));
    }

    // ---- mutations (the control API's; each stamps the sandbox clock) ---------------------

    /**
     * A delete or restore, as webhooks report it (reference §6.2). {@code outcome} is "accept" or
     * "decline" for unsorted, which amoCRM reports as a delete; null otherwise.
     */
    public record Change(String entity, String action, long id, Object record, String outcome) {
        public Change(String entity, String action, long id, Object record) {
            this(entity, action, id, record, null);
        }
    }

    /**
     * Accepts or declines an unsorted item: it leaves the unsorted list and webhooks report an
     * unsorted delete with that outcome (reference §6.2). No event exists for it (§4.3).
     */
    public void decideUnsorted(String uid, boolean accept) {
        Change change = write(() -> {
            Unsorted u = null;
            Iterator<Unsorted> it = unsorted.scan(OrderKey.ID, false, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                    Long.MAX_VALUE, x -> x.uid().equals(uid));
            if (it.hasNext()) {
                u = it.next();
            }
            require(u, "unsorted", -1);
            unsorted.markDeleted(u.seq(), clock.nowSeconds());
            return new Change("unsorted", "delete", u.seq(), u, accept ? "accept" : "decline");
        });
        notifyListeners(change);
    }

    /** Receives deletes and restores after they are applied (the webhook sender listens). */
    public void onChange(java.util.function.Consumer<Change> listener) {
        listeners.add(listener);
    }

    /** Adds a lead in the main pipeline's first stage; writes {@code lead_added}. */
    public Lead addLead(String name, long price) {
        return write(() -> {
            long now = clock.nowSeconds();
            Pipeline main = gen.ref.pipelines.get(0);
            long status = main.statuses().get(1).id();
            User user = gen.ref.users.get(0);
            Lead lead = new Lead(leads.allocateId(), name, price, null, user.id(), user.groupId(), status,
                    main.id(), null, null, user.id(), user.id(), now, now, null, null, null, null, null,
                    List.of(), List.of(), null, false);
            putLead(lead);
            addEvent("lead_added", lead.id(), "lead", user.id(), now, List.of(), List.of());
            return lead;
        });
    }

    /** Adds a contact; writes {@code contact_added}. */
    public Contact addContact(String name) {
        return write(() -> {
            long now = clock.nowSeconds();
            User user = gen.ref.users.get(0);
            Contact c = new Contact(contacts.allocateId(), name, name, null, user.id(), user.groupId(), user.id(),
                    user.id(), now, now, null, null, List.of(), null);
            putContact(c);
            addEvent("contact_added", c.id(), "contact", user.id(), now, List.of(), List.of());
            return c;
        });
    }

    /** Any edit of a live lead; updated_at moves to now. Writes no event (field edits have their own). */
    public Lead updateLead(long id, UnaryOperator<Lead> change) {
        return write(() -> {
            Lead lead = change.apply(liveLead(id)).withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
            putLead(lead);
            return lead;
        });
    }

    public Contact updateContact(long id, UnaryOperator<Contact> change) {
        return write(() -> {
            Contact c = change.apply(require(contacts.find(id), "contacts", id))
                    .withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
            putContact(c);
            return c;
        });
    }

    public Company updateCompany(long id, UnaryOperator<Company> change) {
        return write(() -> {
            Company c = change.apply(require(companies.find(id), "companies", id))
                    .withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
            companies.put(c);
            return c;
        });
    }

    public Task updateTask(long id, UnaryOperator<Task> change) {
        return write(() -> {
            Task t = change.apply(require(tasks.find(id), "tasks", id)).withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
            tasks.put(t);
            return t;
        });
    }

    /** Any edit of a note of {@code entityType} (leads, contacts, companies, customers); updated_at moves to now. */
    public Note updateNote(String entityType, long id, UnaryOperator<Note> change) {
        return write(() -> {
            EntityTable<Note> table = notes.get(entityType);
            if (table == null) {
                throw new IllegalArgumentException("no notes of " + entityType);
            }
            Note n = change.apply(require(table.find(id), entityType + " notes", id))
                    .withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
            table.put(n);
            return n;
        });
    }

    /** Renames a lead; writes {@code name_field_changed}. */
    public Lead renameLead(long id, String name) {
        return write(() -> {
            Lead old = liveLead(id);
            Lead lead = edit(old.withName(name));
            addEvent("name_field_changed", id, "lead", lead.updatedBy(), lead.updatedAt(),
                    List.of(FieldValues.object("name_field_value", FieldValues.object("name", name))),
                    List.of(FieldValues.object("name_field_value", FieldValues.object("name", old.name()))));
            return lead;
        });
    }

    /** Sets a lead's price and bumps updated_at; writes {@code sale_field_changed}. */
    public Lead updateLeadPrice(long id, long price) {
        return write(() -> {
            Lead old = liveLead(id);
            Lead lead = edit(old.withPrice(price));
            addEvent("sale_field_changed", id, "lead", lead.updatedBy(), lead.updatedAt(),
                    List.of(FieldValues.object("sale_field_value", FieldValues.object("sale", price))),
                    List.of(FieldValues.object("sale_field_value", FieldValues.object("sale", old.price()))));
            return lead;
        });
    }

    /** Moves a lead to another status of its pipeline; writes {@code lead_status_changed}. */
    public Lead changeLeadStatus(long id, long statusId) {
        return write(() -> {
            Lead old = liveLead(id);
            Pipeline p = gen.ref.pipeline(old.pipelineId());
            if (p.statuses().stream().noneMatch(s -> s.id() == statusId)) {
                throw new IllegalArgumentException("status " + statusId + " is not in pipeline " + p.id());
            }
            boolean closed = statusId == ReferenceData.WON || statusId == ReferenceData.LOST;
            long now = clock.nowSeconds();
            Lead lead = edit(old.withStatus(statusId, closed ? Long.valueOf(now) : null,
                    statusId == ReferenceData.LOST ? old.lossReasonId() : null));
            addEvent("lead_status_changed", id, "lead", lead.updatedBy(), lead.updatedAt(),
                    List.of(AccountGenerator.leadStatus(statusId, old.pipelineId())),
                    List.of(AccountGenerator.leadStatus(old.statusId(), old.pipelineId())));
            return lead;
        });
    }

    /**
     * Replaces one custom field's values on a lead (null removes it); writes
     * {@code custom_field_value_changed} (reference §4.3: per field,
     * {@code custom_field_{ID}_value_changed}).
     */
    public Lead setLeadCustomField(long id, CustomFieldValue value, long fieldId) {
        return write(() -> {
            Lead old = liveLead(id);
            List<CustomFieldValue> cf = new ArrayList<>(old.customFields() == null ? List.of() : old.customFields());
            cf.removeIf(v -> v.fieldId() == fieldId);
            if (value != null) {
                cf.add(value);
            }
            Lead lead = edit(old.withCustomFields(cf.isEmpty() ? null : List.copyOf(cf)));
            addEvent("custom_field_" + fieldId + "_value_changed", id, "lead", lead.updatedBy(), lead.updatedAt(),
                    List.of(FieldValues.object("custom_field_value", FieldValues.object("field_id", fieldId))), List.of());
            return lead;
        });
    }

    /** Adds a lead tag (creating the tag when new); writes {@code entity_tag_added}. */
    public Lead addLeadTag(long id, String tagName) {
        return write(() -> {
            Lead old = liveLead(id);
            Tag tag = tagNamed("leads", tagName);
            if (old.tags().stream().anyMatch(t -> t.id() == tag.id())) {
                return old;
            }
            List<TagRef> tags = new ArrayList<>(old.tags());
            tags.add(new TagRef(tag.id(), tag.name(), tag.color()));
            Lead lead = edit(old.withTags(List.copyOf(tags)));
            addEvent("entity_tag_added", id, "lead", lead.updatedBy(), lead.updatedAt(),
                    List.of(FieldValues.object("tag", FieldValues.object("name", tagName))), List.of());
            return lead;
        });
    }

    /** Removes a lead tag; writes {@code entity_tag_deleted}. */
    public Lead removeLeadTag(long id, String tagName) {
        return write(() -> {
            Lead old = liveLead(id);
            List<TagRef> tags = old.tags().stream().filter(t -> !t.name().equals(tagName)).toList();
            if (tags.size() == old.tags().size()) {
                return old;
            }
            Lead lead = edit(old.withTags(tags));
            addEvent("entity_tag_deleted", id, "lead", lead.updatedBy(), lead.updatedAt(), List.of(),
                    List.of(FieldValues.object("tag", FieldValues.object("name", tagName))));
            return lead;
        });
    }

    /**
     * Deletes a lead, contact, company or task: it leaves the lists, a {@code *_deleted} event is
     * written (reference §4.3, §7), and webhooks hear of it (§6.2).
     */
    public void delete(String entity, long id) {
        Change change = write(() -> {
            long now = clock.nowSeconds();
            EntityTable<?> table = table(entity);
            Object rec = require(table.find(id), entity, id);
            table.markDeleted(id, now);
            addEvent(singular(entity) + "_deleted", id, singular(entity), gen.ref.users.get(0).id(), now, List.of(), List.of());
            return new Change(entity, "delete", id, rec);
        });
        notifyListeners(change);
    }

    /**
     * Brings a deleted lead, contact, company or task back to the lists. Leads, contacts and
     * companies write {@code *_restored}; tasks have no restore event (reference §4.3), so none.
     * Whether updated_at moves is a fidelity switch.
     */
    public void restore(String entity, long id) {
        Change change = write(() -> {
            EntityTable<?> table = table(entity);
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
                bumpAny(entity, id, now);
            }
            if (!entity.equals("tasks")) {
                addEvent(singular(entity) + "_restored", id, singular(entity), gen.ref.users.get(0).id(), now, List.of(), List.of());
            }
            return new Change(entity, "restore", id, table.find(id));
        });
        notifyListeners(change);
    }

    /** Links a contact to a lead; writes {@code entity_linked}. Whether updated_at moves is a switch. */
    public void link(long leadId, long contactId, boolean main) {
        write(() -> {
            Lead lead = liveLead(leadId);
            require(contacts.find(contactId), "contacts", contactId);
            if (lead.contacts().stream().anyMatch(c -> c.contactId() == contactId)) {
                return null;
            }
            List<ContactLink> links = new ArrayList<>();
            for (ContactLink c : lead.contacts()) {
                links.add(main ? new ContactLink(c.contactId(), false) : c);
            }
            links.add(main || lead.contacts().isEmpty() ? 0 : links.size(), new ContactLink(contactId, main || lead.contacts().isEmpty()));
            relink(lead, List.copyOf(links), contactId, "entity_linked", fidelity.linkBumpsUpdatedAt);
            return null;
        });
    }

    /** Unlinks a contact from a lead; writes {@code entity_unlinked}. */
    public void unlink(long leadId, long contactId) {
        write(() -> {
            Lead lead = liveLead(leadId);
            List<ContactLink> links = lead.contacts().stream().filter(c -> c.contactId() != contactId).toList();
            if (links.size() == lead.contacts().size()) {
                return null;
            }
            if (!links.isEmpty() && links.stream().noneMatch(ContactLink::isMain)) {
                List<ContactLink> promoted = new ArrayList<>(links);
                promoted.set(0, new ContactLink(links.get(0).contactId(), true));
                links = List.copyOf(promoted);
            }
            relink(lead, links, contactId, "entity_unlinked", fidelity.linkBumpsUpdatedAt);
            return null;
        });
    }

    /**
     * Merges two contacts as amoCRM's "merge duplicates" does: every lead of the loser is linked
     * to the survivor instead, and the loser is deleted ({@code contact_deleted}, a webhook).
     */
    public void mergeContacts(long survivorId, long loserId) {
        if (survivorId == loserId) {
            throw new IllegalArgumentException("cannot merge a contact with itself");
        }
        Change change = write(() -> {
            require(contacts.find(survivorId), "contacts", survivorId);
            Contact loser = require(contacts.find(loserId), "contacts", loserId);
            long now = clock.nowSeconds();
            for (long leadId : contactLeads(loserId)) {
                Lead lead = leads.find(leadId);
                boolean hasSurvivor = lead.contacts().stream().anyMatch(c -> c.contactId() == survivorId);
                List<ContactLink> links = new ArrayList<>();
                for (ContactLink c : lead.contacts()) {
                    if (c.contactId() == loserId) {
                        if (!hasSurvivor) {
                            links.add(new ContactLink(survivorId, c.isMain()));
                        }
                    } else {
                        links.add(c.contactId() == survivorId && c.isMain() == false
                                && lead.contacts().stream().anyMatch(x -> x.contactId() == loserId && x.isMain())
                                ? new ContactLink(survivorId, true) : c);
                    }
                }
                relink(lead, List.copyOf(links), survivorId, "entity_linked", fidelity.mergeBumpsUpdatedAt);
            }
            if (fidelity.mergeBumpsUpdatedAt) {
                bumpAny("contacts", survivorId, now);
            }
            contacts.markDeleted(loserId, now);
            addEvent("contact_deleted", loserId, "contact", gen.ref.users.get(0).id(), now, List.of(), List.of());
            return new Change("contacts", "delete", loserId, loser);
        });
        notifyListeners(change);
    }

    /**
     * Renames a custom field, as an admin does in the settings: {@code /custom_fields} lists the new
     * name under the same id (DESIGN.md: mappings are resolved to ids at connect, and {@code doctor}
     * warns about a rename). Records keep the values they had; their {@code field_name} stays the
     * generated one (no test reads records after a rename).
     */
    public CustomFieldDef renameCustomField(String entityType, long fieldId, String name) {
        return write(() -> {
            List<CustomFieldDef> defs = gen.ref.fields.get(entityType);
            for (int i = 0; defs != null && i < defs.size(); i++) {
                CustomFieldDef d = defs.get(i);
                if (d.id() == fieldId) {
                    CustomFieldDef renamed = new CustomFieldDef(d.entityType(), d.id(), name, d.code(), d.sort(), d.type(),
                            d.isApiOnly(), d.enums());
                    defs.set(i, renamed);
                    return renamed;
                }
            }
            throw new IllegalArgumentException("no " + entityType + " custom field " + fieldId);
        });
    }

    /**
     * Edits {@code n} live leads (their names) all stamped with one and the same second, the case
     * a cursor that skips "already seen" seconds loses (connector-conventions §3).
     */
    public List<Long> bulkUpdateSameSecond(int n) {
        return write(() -> {
            long now = clock.nowSeconds();
            long user = gen.ref.users.get(0).id();
            List<Long> ids = new ArrayList<>();
            Iterator<Lead> it = leads.scan(OrderKey.ID, false, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                    Long.MAX_VALUE, l -> true);
            while (ids.size() < n && it.hasNext()) {
                Lead l = it.next();
                putLead(l.withName(l.name() + " ✎").withUpdate(now, user));
                ids.add(l.id());
            }
            return ids;
        });
    }

    // ---- changes no signal reports: what only reconciliation's comparison of the lists finds ----

    /**
     * Edits a live lead with no trace: updated_at stays, no event, no webhook (a fix in amoCRM's
     * own database, a robot that does not stamp). Incremental reads cannot see it.
     */
    public Lead rewriteLead(long id, UnaryOperator<Lead> change) {
        return write(() -> {
            Lead lead = change.apply(liveLead(id));
            putLead(lead);
            return lead;
        });
    }

    /** Adds a lead tag (creating the tag when new) with no trace: updated_at stays, no event. */
    public Lead tagLeadUntraced(long id, String tagName) {
        return write(() -> {
            Lead old = liveLead(id);
            Tag tag = tagNamed("leads", tagName);
            List<TagRef> tags = new ArrayList<>(old.tags());
            tags.add(new TagRef(tag.id(), tag.name(), tag.color()));
            Lead lead = old.withTags(List.copyOf(tags));
            putLead(lead);
            return lead;
        });
    }

    /** Edits a live contact with no trace: updated_at stays, no event, no webhook. */
    public Contact rewriteContact(long id, UnaryOperator<Contact> change) {
        return write(() -> {
            Contact c = change.apply(require(contacts.find(id), "contacts", id));
            putContact(c);
            return c;
        });
    }

    /** Deletes a lead, contact, company or task with no {@code *_deleted} event and no webhook. */
    public void purge(String entity, long id) {
        write(() -> {
            EntityTable<?> table = table(entity);
            require(table.find(id), entity, id);
            table.markDeleted(id, clock.nowSeconds());
            return null;
        });
    }

    /**
     * Adds a lead created (and last updated) at a past second, with no event: an import that
     * back-dates its leads, below every watermark.
     */
    public Lead addLeadAt(String name, long price, long createdAt) {
        return write(() -> {
            Pipeline main = gen.ref.pipelines.get(0);
            User user = gen.ref.users.get(0);
            Lead lead = new Lead(leads.allocateId(), name, price, null, user.id(), user.groupId(),
                    main.statuses().get(1).id(), main.id(), null, null, user.id(), user.id(), createdAt, createdAt, null,
                    null, null, null, null, List.of(), List.of(), null, false);
            putLead(lead);
            return lead;
        });
    }

    private Lead edit(Lead changed) {
        Lead lead = changed.withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
        putLead(lead);
        return lead;
    }

    private void relink(Lead lead, List<ContactLink> links, long contactId, String eventType, boolean bump) {
        long now = clock.nowSeconds();
        Lead changed = lead.withContacts(links);
        putLead(bump ? changed.withUpdate(now, gen.ref.users.get(0).id()) : changed);
        if (bump && contacts.find(contactId) != null) {
            bumpAny("contacts", contactId, now);
        }
        addEvent(eventType, lead.id(), "lead", gen.ref.users.get(0).id(), now,
                eventType.equals("entity_linked") ? List.of(link(contactId)) : List.of(),
                eventType.equals("entity_unlinked") ? List.of(link(contactId)) : List.of());
    }

    private static Map<String, Object> link(long contactId) {
        return FieldValues.object("link", FieldValues.object("entity", FieldValues.object("id", contactId, "type", "contact")));
    }

    private void bumpAny(String entity, long id, long now) {
        long user = gen.ref.users.get(0).id();
        switch (entity) {
            case "leads" -> putLead(leads.find(id).withUpdate(now, user));
            case "contacts" -> putContact(contacts.find(id).withUpdate(now, user));
            case "companies" -> companies.put(companies.find(id).withUpdate(now, user));
            case "tasks" -> tasks.put(tasks.find(id).withUpdate(now, user));
            default -> throw new IllegalArgumentException(entity);
        }
    }

    private Tag tagNamed(String entityType, String name) {
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

    private EntityTable<?> table(String entity) {
        return switch (entity) {
            case "leads" -> leads;
            case "contacts" -> contacts;
            case "companies" -> companies;
            case "tasks" -> tasks;
            default -> throw new IllegalArgumentException("no entity " + entity + " (leads, contacts, companies, tasks)");
        };
    }

    private static String singular(String entity) {
        return switch (entity) {
            case "leads" -> "lead";
            case "contacts" -> "contact";
            case "companies" -> "company";
            case "tasks" -> "task";
            default -> throw new IllegalArgumentException(entity);
        };
    }

    private void notifyListeners(Change change) {
        for (var l : listeners) {
            l.accept(change);
        }
    }

    // ---- deleted and id-only views ----------------------------------------------------------

    /**
     * Deleted leads, as {@code with=only_deleted} lists them (reference §7): only those still
     * restorable, i.e. still in the bin ({@link Fidelity#binRetentionDays}, §9.4); ordered by id.
     */
    public PageResult<Lead> deletedLeads(int page, int limit) {
        return read(() -> binPage(leads, page, limit,
                (l, at) -> l.withDeleted(true).withUpdate(at, l.updatedBy())));
    }

    /**
     * Deleted companies still in the bin, for {@code with=only_deleted} on companies (reference
     * §3.4, §7; the SDK offers it for contacts and companies), updated_at set to the deletion.
     */
    public PageResult<Company> deletedCompanies(int page, int limit) {
        return read(() -> binPage(companies, page, limit, (c, at) -> c.withUpdate(at, c.updatedBy())));
    }

    /** Deleted contacts still in the bin, for {@code with=only_deleted} on contacts (§7, SDK). */
    public PageResult<Contact> deletedContacts(int page, int limit) {
        return read(() -> binPage(contacts, page, limit, (c, at) -> c.withUpdate(at, c.updatedBy())));
    }

    private <T> PageResult<T> binPage(EntityTable<T> table, int page, int limit,
                                      java.util.function.BiFunction<T, Long, T> asDeleted) {
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
     * {@code with=only_deleted} and restorable (reference §7, §9.4).
     */
    private boolean inBin(long deletedAt) {
        int days = fidelity.binRetentionDays;
        return days <= 0 || deletedAt >= clock.nowSeconds() - days * 86_400L;
    }

    public int deletedCount(String entity) {
        return read(() -> table(entity).deletions().size());
    }

    /** Live ids of an entity, ascending, without generating records: cheap at millions. */
    public long[] liveIds(String entity) {
        return read(() -> {
            EntityTable<?> table = table(entity);
            java.util.stream.LongStream.Builder out = java.util.stream.LongStream.builder();
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

    // ---- ground truth ---------------------------------------------------------------------

    /** The whole account as it is now; O(account size), for tests and small accounts. */
    public GroundTruth groundTruth() {
        return read(() -> {
            Map<String, GroundTruth.Entities<Note>> noteTruth = new LinkedHashMap<>();
            notes.forEach((type, table) -> noteTruth.put(type, entities(table, Function.identity())));
            Map<String, List<Tag>> tagCopy = new LinkedHashMap<>();
            gen.ref.tags.forEach((k, v) -> tagCopy.put(k, List.copyOf(v)));
            Map<String, List<CustomFieldDef>> fieldCopy = new LinkedHashMap<>();
            gen.ref.fields.forEach((k, v) -> fieldCopy.put(k, List.copyOf(v)));
            Map<Long, GroundTruth.Entities<CatalogElement>> elementTruth = new LinkedHashMap<>();
            elements.forEach((catalog, table) -> elementTruth.put(catalog, entities(table, Function.identity())));
            GroundTruth.Entities<Lead> leadTruth = entities(leads, this::present);
            // Deleted leads too: their products are what they held when deleted (a soft delete keeps them).
            Map<Long, List<CatalogLink>> links = new LinkedHashMap<>();
            List<Lead> withDeleted = new ArrayList<>(leadTruth.live());
            leadTruth.deleted().forEach(d -> withDeleted.add(d.record()));
            for (Lead l : withDeleted) {
                List<CatalogLink> ls = leadCatalogElements(l.id());
                if (!ls.isEmpty()) {
                    links.put(l.id(), ls);
                }
            }
            return new GroundTruth(clock.nowSeconds(), account(), List.copyOf(gen.ref.users), List.copyOf(gen.ref.pipelines),
                    List.copyOf(gen.ref.lossReasons), tagCopy, fieldCopy,
                    leadTruth, entities(contacts, this::present),
                    entities(companies, Function.identity()), entities(tasks, Function.identity()), noteTruth,
                    events(Long.MIN_VALUE, Long.MAX_VALUE, e -> true), entities(unsorted, Function.identity()),
                    entities(customers, Function.identity()), entities(transactions, Function.identity()),
                    List.copyOf(gen.ref.catalogs), elementTruth, links);
        });
    }

    // ---- internals ------------------------------------------------------------------------

    private <T> GroundTruth.Entities<T> entities(EntityTable<T> table, Function<T, T> view) {
        List<T> live = new ArrayList<>();
        table.scan(OrderKey.ID, false, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, r -> true)
                .forEachRemaining(r -> live.add(view.apply(r)));
        List<GroundTruth.Deleted<T>> deleted = new ArrayList<>();
        table.deletions().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> deleted.add(new GroundTruth.Deleted<>(markDeleted(table.findAny(e.getKey())), e.getValue())));
        return new GroundTruth.Entities<>(List.copyOf(live), List.copyOf(deleted));
    }

    @SuppressWarnings("unchecked")
    private static <T> T markDeleted(T rec) {
        if (rec instanceof Lead l) {
            return (T) new Lead(l.id(), l.name(), l.price(), l.priceWithMinorUnits(), l.responsibleUserId(), l.groupId(),
                    l.statusId(), l.pipelineId(), l.lossReasonId(), l.sourceId(), l.createdBy(), l.updatedBy(),
                    l.createdAt(), l.updatedAt(), l.closedAt(), l.closestTaskAt(), l.score(), l.laborCost(),
                    l.customFields(), l.tags(), l.contacts(), l.companyId(), true);
        }
        return rec;
    }

    private <T> PageResult<T> page(EntityTable<T> table, ListQuery<T> q, int page, int limit, Function<T, T> view) {
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
            }).thenComparingLong(table::idOf);
            picked.sort(q.descending() ? cmp.reversed() : cmp);
            it = picked.iterator();
        } else {
            it = table.scan(q.order(), q.descending(), q.createdFrom(), q.createdTo(), q.updatedFrom(),
                    q.updatedTo(), q.filter());
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
    private Lead present(Lead l) {
        List<ContactLink> live = l.contacts().stream().filter(c -> contacts.isLive(c.contactId())).toList();
        Long company = l.companyId() != null && companies.isLive(l.companyId()) ? l.companyId() : null;
        if (live.size() == l.contacts().size() && java.util.Objects.equals(company, l.companyId())) {
            return l;
        }
        return new Lead(l.id(), l.name(), l.price(), l.priceWithMinorUnits(), l.responsibleUserId(), l.groupId(),
                l.statusId(), l.pipelineId(), l.lossReasonId(), l.sourceId(), l.createdBy(), l.updatedBy(),
                l.createdAt(), l.updatedAt(), l.closedAt(), l.closestTaskAt(), l.score(), l.laborCost(),
                l.customFields(), l.tags(), live, company, l.isDeleted());
    }

    private Contact present(Contact c) {
        if (c.companyId() == null || companies.isLive(c.companyId())) {
            return c;
        }
        return new Contact(c.id(), c.name(), c.firstName(), c.lastName(), c.responsibleUserId(), c.groupId(),
                c.createdBy(), c.updatedBy(), c.createdAt(), c.updatedAt(), c.closestTaskAt(), c.customFields(),
                c.tags(), null);
    }

    /**
     * Ids on the "from" side linked to {@code targetId}: base candidates near the proportional
     * index (links are derived as floor(i * nTarget / nFrom)), plus overlay records indexed by
     * target.
     */
    private <F> List<Long> reverse(long targetId, EntityTable<?> targets, int nFrom, int nTarget, EntityTable<F> from,
                                   java.util.function.IntPredicate baseLinks, Map<Long, Set<Long>> overlayIndex,
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

    private void putContact(Contact c) {
        Contact old = contacts.findAny(c.id());
        if (old != null && old.companyId() != null && !old.companyId().equals(c.companyId())) {
            java.util.Set<Long> set = overlayContactsByCompany.get(old.companyId());
            if (set != null) {
                set.remove(c.id());
            }
        }
        contacts.put(c);
        if (c.companyId() != null) {
            overlayContactsByCompany.computeIfAbsent(c.companyId(), k -> new TreeSet<>()).add(c.id());
        }
    }

    private void putLead(Lead lead) {
        leads.put(lead);
        for (ContactLink c : lead.contacts()) {
            overlayLeadsByContact.computeIfAbsent(c.contactId(), k -> new TreeSet<>()).add(lead.id());
        }
        if (lead.companyId() != null) {
            overlayLeadsByCompany.computeIfAbsent(lead.companyId(), k -> new TreeSet<>()).add(lead.id());
        }
    }

    private Lead liveLead(long id) {
        return require(leads.find(id), "leads", id);
    }

    private static <T> T require(T rec, String entity, long id) {
        if (rec == null) {
            throw new IllegalArgumentException("no live " + entity + " with id " + id);
        }
        return rec;
    }

    private void addEvent(String type, long entityId, String entityType, long user, long at,
                          List<Map<String, Object>> after, List<Map<String, Object>> before) {
        mutationEvents.add(gen.event(mutationRandom, type, entityId, entityType, user, at, after, before));
    }

    private List<Event> events(long from, long to, Predicate<Event> filter) {
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

    private static int upper(KindLayout layout, java.util.function.IntToLongFunction key, long to) {
        return to == Long.MAX_VALUE ? layout.n : layout.lowerBound(key, to + 1);
    }

    /**
     * Records in the order given, except that each run of equal keys comes reversed (ids
     * descending under an ascending order): {@link Fidelity#tiesReversed}. Lazy: it holds one
     * run of equal keys at a time.
     */
    private static final class TiesReversed<T> implements Iterator<T> {
        private final Iterator<T> in;
        private final java.util.function.ToLongFunction<T> key;
        private final java.util.ArrayDeque<T> run = new java.util.ArrayDeque<>();
        private T ahead;

        TiesReversed(Iterator<T> in, java.util.function.ToLongFunction<T> key) {
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
                throw new java.util.NoSuchElementException();
            }
            return run.pop();
        }
    }

    private <T> T read(java.util.function.Supplier<T> body) {
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(java.util.function.Supplier<T> body) {
        lock.writeLock().lock();
        try {
            version.incrementAndGet();
            return body.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The status a lead's pipeline calls by this id (statuses are keyed per pipeline). */
    public Status status(long pipelineId, long statusId) {
        Pipeline p = gen.ref.pipeline(pipelineId);
        return p == null ? null : p.statuses().stream().filter(s -> s.id() == statusId).findFirst().orElse(null);
    }

    /** The instant the account's base data ends (newest base updated_at). */
    public Instant baseDataEnd() {
        return Instant.ofEpochSecond(Math.max(gen.leads.end(), gen.contacts.end()));
    }
}
