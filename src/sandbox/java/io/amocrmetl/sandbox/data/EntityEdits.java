package io.amocrmetl.sandbox.data;

import static io.amocrmetl.sandbox.data.AccountStore.require;

import io.amocrmetl.sandbox.data.EntityTable.OrderKey;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.User;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The control API's stamped edits of single records: adds, edits that move updated_at, a custom
 * field's rename in the settings, and a burst of edits in one second. Each holds the write lock.
 */
final class EntityEdits {
    private final AccountStore store;
    private final SandboxClock clock;
    private final AccountGenerator gen;
    private final EntityTable<Lead> leads;
    private final EntityTable<Contact> contacts;
    private final EntityTable<Company> companies;
    private final EntityTable<Task> tasks;
    private final Map<String, EntityTable<Note>> notes;

    EntityEdits(AccountStore store) {
        this.store = store;
        this.clock = store.clock;
        this.gen = store.gen;
        this.leads = store.leads;
        this.contacts = store.contacts;
        this.companies = store.companies;
        this.tasks = store.tasks;
        this.notes = store.notes;
    }

    /** Adds a lead in the main pipeline's first stage; writes {@code lead_added}. */
    Lead addLead(String name, long price) {
        return store.write(() -> {
            long now = clock.nowSeconds();
            Pipeline main = gen.ref.pipelines.get(0);
            long status = main.statuses().get(1).id();
            User user = gen.ref.users.get(0);
            Lead lead = new Lead(
                    leads.allocateId(),
                    name,
                    price,
                    null,
                    user.id(),
                    user.groupId(),
                    status,
                    main.id(),
                    null,
                    null,
                    user.id(),
                    user.id(),
                    now,
                    now,
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of(),
                    List.of(),
                    null,
                    false);
            store.putLead(lead);
            store.addEvent("lead_added", lead.id(), "lead", user.id(), now, List.of(), List.of());
            return lead;
        });
    }

    /** Adds a contact; writes {@code contact_added}. */
    Contact addContact(String name) {
        return store.write(() -> {
            long now = clock.nowSeconds();
            User user = gen.ref.users.get(0);
            Contact c = new Contact(
                    contacts.allocateId(),
                    name,
                    name,
                    null,
                    user.id(),
                    user.groupId(),
                    user.id(),
                    user.id(),
                    now,
                    now,
                    null,
                    null,
                    List.of(),
                    null);
            store.putContact(c);
            store.addEvent("contact_added", c.id(), "contact", user.id(), now, List.of(), List.of());
            return c;
        });
    }

    /** Any edit of a live lead; updated_at moves to now. Writes no event (field edits have their own). */
    Lead updateLead(long id, UnaryOperator<Lead> change) {
        return store.write(() -> {
            Lead lead = change.apply(store.liveLead(id))
                    .withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
            store.putLead(lead);
            return lead;
        });
    }

    Contact updateContact(long id, UnaryOperator<Contact> change) {
        return store.write(() -> {
            Contact c = change.apply(require(contacts.find(id), "contacts", id))
                    .withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
            store.putContact(c);
            return c;
        });
    }

    Company updateCompany(long id, UnaryOperator<Company> change) {
        return store.write(() -> {
            Company c = change.apply(require(companies.find(id), "companies", id))
                    .withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
            companies.put(c);
            return c;
        });
    }

    Task updateTask(long id, UnaryOperator<Task> change) {
        return store.write(() -> {
            Task t = change.apply(require(tasks.find(id), "tasks", id))
                    .withUpdate(clock.nowSeconds(), gen.ref.users.get(0).id());
            tasks.put(t);
            return t;
        });
    }

    /** Any edit of a note of {@code entityType} (leads, contacts, companies, customers); updated_at moves to now. */
    Note updateNote(String entityType, long id, UnaryOperator<Note> change) {
        return store.write(() -> {
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

    /**
     * Renames a custom field, as an admin does in the settings: {@code /custom_fields} lists the new
     * name under the same id (docs/connecting.md: mappings are resolved to ids at connect, and
     * {@code doctor} warns about a rename). Records keep the values they had; their {@code field_name} stays the
     * generated one (no test reads records after a rename).
     */
    CustomFieldDef renameCustomField(String entityType, long fieldId, String name) {
        return store.write(() -> {
            List<CustomFieldDef> defs = gen.ref.fields.get(entityType);
            for (int i = 0; defs != null && i < defs.size(); i++) {
                CustomFieldDef d = defs.get(i);
                if (d.id() == fieldId) {
                    CustomFieldDef renamed = new CustomFieldDef(
                            d.entityType(), d.id(), name, d.code(), d.sort(), d.type(), d.isApiOnly(), d.enums());
                    defs.set(i, renamed);
                    return renamed;
                }
            }
            throw new IllegalArgumentException("no " + entityType + " custom field " + fieldId);
        });
    }

    /**
     * Edits {@code n} live leads (their names) all stamped with one and the same second, the case
     * a cursor that skips "already seen" seconds loses (docs/conventions.md).
     */
    List<Long> bulkUpdateSameSecond(int n) {
        return store.write(() -> {
            long now = clock.nowSeconds();
            long user = gen.ref.users.get(0).id();
            List<Long> ids = new ArrayList<>();
            Iterator<Lead> it = leads.scan(
                    OrderKey.ID, false, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, l -> true);
            while (ids.size() < n && it.hasNext()) {
                Lead l = it.next();
                store.putLead(l.withName(l.name() + " ✎").withUpdate(now, user));
                ids.add(l.id());
            }
            return ids;
        });
    }
}
