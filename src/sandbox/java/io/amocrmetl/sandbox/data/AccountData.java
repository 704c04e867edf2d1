package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.AccountInfo;
import io.amocrmetl.sandbox.model.Catalog;
import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.CatalogLink;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.LossReason;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.Unsorted;
import io.amocrmetl.sandbox.model.User;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A whole simulated account: reference data, entity tables, links, events and mutations. This is
 * the one door the HTTP side, the control API and tests use; each role lives in a class of its own
 * over the shared {@link AccountStore}: {@link ListPages} (list reads), {@link LinkQueries}
 * (reverse links), {@link EntityEdits}, {@link LeadEdits}, {@link LinkEdits}, {@link Deletions},
 * {@link UntracedEdits} and {@link TruthSnapshot}. Readers hold the read lock while they build a
 * page and mutations the write lock, so a page is always cut from one consistent state.
 */
public final class AccountData {
    private final AccountStore store;
    private final AccountInfo info;
    private final ListPages pages;
    private final LinkQueries links;
    private final EntityEdits edits;
    private final LeadEdits leadEdits;
    private final LinkEdits linkEdits;
    private final Deletions deletions;
    private final UntracedEdits untraced;
    private final TruthSnapshot truth;
    private volatile String timezone;

    /**
     * @param seed drives every generated value
     * @param shape how many entities of each kind
     * @param historyDays how far back base records' timestamps reach
     * @param fidelity the switches for undocumented behaviour, read at every request
     */
    public AccountData(long seed, AccountShape shape, int historyDays, SandboxClock clock, Fidelity fidelity) {
        this.store = new AccountStore(seed, shape, historyDays, clock, fidelity);
        AccountGenerator gen = store.gen;
        User admin = gen.ref.users.get(0);
        this.info = new AccountInfo(
                29_000_000L + Math.floorMod(seed, 1_000_000L),
                "Песочница \"amoCRM\" #" + seed,
                "sandbox" + Math.floorMod(seed, 1_000_000L),
                gen.leads.createdAt(0) - 30L * 86_400,
                admin.id(),
                "RU",
                "RUB",
                "₽",
                "dynamic",
                "Europe/Moscow",
                true);
        this.pages = new ListPages(store);
        this.links = new LinkQueries(store);
        this.edits = new EntityEdits(store);
        this.leadEdits = new LeadEdits(store);
        this.linkEdits = new LinkEdits(store, links);
        this.deletions = new Deletions(store);
        this.untraced = new UntracedEdits(store);
        this.truth = new TruthSnapshot(store, pages, this::account);
    }

    public SandboxClock clock() {
        return store.clock;
    }

    /** Counts mutations: a response rendered at one version stays right until the next. */
    public long version() {
        return store.version();
    }

    // ---- reference data ------------------------------------------------------------------

    /** The account as {@code /api/v4/account} shows it now. */
    public AccountInfo account() {
        return new AccountInfo(
                info.id(),
                info.name(),
                info.subdomain(),
                info.createdAt(),
                info.currentUserId(),
                info.country(),
                info.currency(),
                info.currencySymbol(),
                info.customersMode(),
                timezone != null ? timezone : info.timezone(),
                store.fidelity.apiFilterEnabled);
    }

    /** Sets the account's time zone ({@code datetime_settings.timezone}), e.g. "UTC"; the default is Europe/Moscow. */
    public void timezone(String zone) {
        ZoneId.of(zone); // refuses an unknown zone here, not at the next request
        this.timezone = zone;
    }

    public Fidelity fidelity() {
        return store.fidelity;
    }

    public List<User> users() {
        return store.read(() -> List.copyOf(store.gen.ref.users));
    }

    public List<Pipeline> pipelines() {
        return store.read(() -> List.copyOf(store.gen.ref.pipelines));
    }

    public List<LossReason> lossReasons() {
        return store.read(() -> List.copyOf(store.gen.ref.lossReasons));
    }

    public List<Tag> tags(String entityType) {
        return store.read(() -> List.copyOf(store.gen.ref.tags.get(entityType)));
    }

    /** Custom fields of an entity type, or of a list as {@code catalogs/<id>}; empty when unknown. */
    public List<CustomFieldDef> customFields(String entityType) {
        return store.read(() -> List.copyOf(store.gen.ref.fields.getOrDefault(entityType, List.of())));
    }

    public List<Catalog> catalogs() {
        return store.read(() -> List.copyOf(store.gen.ref.catalogs));
    }

    /** The status a lead's pipeline calls by this id (statuses are keyed per pipeline). */
    public Status status(long pipelineId, long statusId) {
        Pipeline p = store.gen.ref.pipeline(pipelineId);
        return p == null
                ? null
                : p.statuses().stream()
                        .filter(s -> s.id() == statusId)
                        .findFirst()
                        .orElse(null);
    }

    /** The instant the account's base data ends (newest base updated_at). */
    public Instant baseDataEnd() {
        return Instant.ofEpochSecond(Math.max(store.gen.leads.end(), store.gen.contacts.end()));
    }

    // ---- lists (ListPages) and reverse links (LinkQueries) ---------------------------------

    public PageResult<Unsorted> unsorted(ListQuery<Unsorted> q, int page, int limit) {
        return pages.unsorted(q, page, limit);
    }

    public PageResult<Customer> customers(ListQuery<Customer> q, int page, int limit) {
        return pages.customers(q, page, limit);
    }

    public PageResult<CustomerTransaction> transactions(ListQuery<CustomerTransaction> q, int page, int limit) {
        return pages.transactions(q, page, limit);
    }

    /** Elements of one list, or null when there is no such list. */
    public PageResult<CatalogElement> catalogElements(
            long catalogId, ListQuery<CatalogElement> q, int page, int limit) {
        return pages.catalogElements(catalogId, q, page, limit);
    }

    /** The list elements linked to a lead ({@code with=catalog_elements}); base leads only. */
    public List<CatalogLink> leadCatalogElements(long leadId) {
        return pages.leadCatalogElements(leadId);
    }

    public PageResult<Lead> leads(ListQuery<Lead> q, int page, int limit) {
        return pages.leads(q, page, limit);
    }

    public PageResult<Contact> contacts(ListQuery<Contact> q, int page, int limit) {
        return pages.contacts(q, page, limit);
    }

    public PageResult<Company> companies(ListQuery<Company> q, int page, int limit) {
        return pages.companies(q, page, limit);
    }

    public PageResult<Task> tasks(ListQuery<Task> q, int page, int limit) {
        return pages.tasks(q, page, limit);
    }

    public PageResult<Note> notes(String entityType, ListQuery<Note> q, int page, int limit) {
        return pages.notes(entityType, q, page, limit);
    }

    /** Events with created_at in [from, to] passing the filter, as {@code /api/v4/events} lists them. */
    public PageResult<Event> events(long from, long to, Predicate<Event> filter, int page, int limit) {
        return pages.events(from, to, filter, page, limit);
    }

    public List<Long> contactLeads(long contactId) {
        return links.contactLeads(contactId);
    }

    public List<Long> contactCustomers(long contactId) {
        return links.contactCustomers(contactId);
    }

    public List<Long> companyLeads(long companyId) {
        return links.companyLeads(companyId);
    }

    public List<Long> companyContacts(long companyId) {
        return links.companyContacts(companyId);
    }

    // ---- mutations (the control API's; each stamps the sandbox clock) ---------------------

    /**
     * A delete or restore, as webhooks report it (docs/amocrm-api.md §6.2). {@code outcome} is
     * "accept" or "decline" for unsorted, which amoCRM reports as a delete; null otherwise.
     */
    public record Change(String entity, String action, long id, Object record, String outcome) {
        public Change(String entity, String action, long id, Object record) {
            this(entity, action, id, record, null);
        }
    }

    /** Receives deletes and restores after they are applied (the webhook sender listens). */
    public void onChange(Consumer<Change> listener) {
        store.onChange(listener);
    }

    public Lead addLead(String name, long price) {
        return edits.addLead(name, price);
    }

    public Contact addContact(String name) {
        return edits.addContact(name);
    }

    public Lead updateLead(long id, UnaryOperator<Lead> change) {
        return edits.updateLead(id, change);
    }

    public Contact updateContact(long id, UnaryOperator<Contact> change) {
        return edits.updateContact(id, change);
    }

    public Company updateCompany(long id, UnaryOperator<Company> change) {
        return edits.updateCompany(id, change);
    }

    public Task updateTask(long id, UnaryOperator<Task> change) {
        return edits.updateTask(id, change);
    }

    public Note updateNote(String entityType, long id, UnaryOperator<Note> change) {
        return edits.updateNote(entityType, id, change);
    }

    public CustomFieldDef renameCustomField(String entityType, long fieldId, String name) {
        return edits.renameCustomField(entityType, fieldId, name);
    }

    public List<Long> bulkUpdateSameSecond(int n) {
        return edits.bulkUpdateSameSecond(n);
    }

    public Lead renameLead(long id, String name) {
        return leadEdits.renameLead(id, name);
    }

    public Lead updateLeadPrice(long id, long price) {
        return leadEdits.updateLeadPrice(id, price);
    }

    public Lead changeLeadStatus(long id, long statusId) {
        return leadEdits.changeLeadStatus(id, statusId);
    }

    public Lead setLeadCustomField(long id, CustomFieldValue value, long fieldId) {
        return leadEdits.setLeadCustomField(id, value, fieldId);
    }

    public Lead addLeadTag(long id, String tagName) {
        return leadEdits.addLeadTag(id, tagName);
    }

    public Lead removeLeadTag(long id, String tagName) {
        return leadEdits.removeLeadTag(id, tagName);
    }

    public void link(long leadId, long contactId, boolean main) {
        linkEdits.link(leadId, contactId, main);
    }

    public void unlink(long leadId, long contactId) {
        linkEdits.unlink(leadId, contactId);
    }

    public void mergeContacts(long survivorId, long loserId) {
        linkEdits.mergeContacts(survivorId, loserId);
    }

    // ---- deletes, restores and the recycle bin (Deletions) ----------------------------------

    public void decideUnsorted(String uid, boolean accept) {
        deletions.decideUnsorted(uid, accept);
    }

    public void delete(String entity, long id) {
        deletions.delete(entity, id);
    }

    public void restore(String entity, long id) {
        deletions.restore(entity, id);
    }

    public PageResult<Lead> deletedLeads(int page, int limit) {
        return deletions.deletedLeads(page, limit);
    }

    public PageResult<Company> deletedCompanies(int page, int limit) {
        return deletions.deletedCompanies(page, limit);
    }

    public PageResult<Contact> deletedContacts(int page, int limit) {
        return deletions.deletedContacts(page, limit);
    }

    public int deletedCount(String entity) {
        return deletions.deletedCount(entity);
    }

    /** Live ids of an entity, ascending, without generating records: cheap at millions. */
    public long[] liveIds(String entity) {
        return deletions.liveIds(entity);
    }

    // ---- changes no signal reports (UntracedEdits) -----------------------------------------

    public Lead rewriteLead(long id, UnaryOperator<Lead> change) {
        return untraced.rewriteLead(id, change);
    }

    public Lead tagLeadUntraced(long id, String tagName) {
        return untraced.tagLeadUntraced(id, tagName);
    }

    public Contact rewriteContact(long id, UnaryOperator<Contact> change) {
        return untraced.rewriteContact(id, change);
    }

    public void purge(String entity, long id) {
        untraced.purge(entity, id);
    }

    public Lead addLeadAt(String name, long price, long createdAt) {
        return untraced.addLeadAt(name, price, createdAt);
    }

    // ---- ground truth ---------------------------------------------------------------------

    /** The whole account as it is now; O(account size), for tests and small accounts. */
    public GroundTruth groundTruth() {
        return truth.take();
    }
}
