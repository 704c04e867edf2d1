package io.amocrmetl.sandbox.data;

import static io.amocrmetl.sandbox.data.AccountStore.require;

import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.TagRef;
import io.amocrmetl.sandbox.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Changes no signal reports, which only reconciliation's comparison of the lists finds: edits
 * that keep updated_at, deletes with no event or webhook, and back-dated imports.
 */
final class UntracedEdits {
    private final AccountStore store;
    private final SandboxClock clock;
    private final AccountGenerator gen;
    private final EntityTable<Lead> leads;
    private final EntityTable<Contact> contacts;

    UntracedEdits(AccountStore store) {
        this.store = store;
        this.clock = store.clock;
        this.gen = store.gen;
        this.leads = store.leads;
        this.contacts = store.contacts;
    }

    /**
     * Edits a live lead with no trace: updated_at stays, no event, no webhook (a fix in amoCRM's
     * own database, a robot that does not stamp). Incremental reads cannot see it.
     */
    Lead rewriteLead(long id, UnaryOperator<Lead> change) {
        return store.write(() -> {
            Lead lead = change.apply(store.liveLead(id));
            store.putLead(lead);
            return lead;
        });
    }

    /** Adds a lead tag (creating the tag when new) with no trace: updated_at stays, no event. */
    Lead tagLeadUntraced(long id, String tagName) {
        return store.write(() -> {
            Lead old = store.liveLead(id);
            Tag tag = store.tagNamed("leads", tagName);
            List<TagRef> tags = new ArrayList<>(old.tags());
            tags.add(new TagRef(tag.id(), tag.name(), tag.color()));
            Lead lead = old.withTags(List.copyOf(tags));
            store.putLead(lead);
            return lead;
        });
    }

    /** Edits a live contact with no trace: updated_at stays, no event, no webhook. */
    Contact rewriteContact(long id, UnaryOperator<Contact> change) {
        return store.write(() -> {
            Contact c = change.apply(require(contacts.find(id), "contacts", id));
            store.putContact(c);
            return c;
        });
    }

    /** Deletes a lead, contact, company or task with no {@code *_deleted} event and no webhook. */
    void purge(String entity, long id) {
        store.write(() -> {
            EntityTable<?> table = store.table(entity);
            require(table.find(id), entity, id);
            table.markDeleted(id, clock.nowSeconds());
            return null;
        });
    }

    /**
     * Adds a lead created (and last updated) at a past second, with no event: an import that
     * back-dates its leads, below every watermark.
     */
    Lead addLeadAt(String name, long price, long createdAt) {
        return store.write(() -> {
            Pipeline main = gen.ref.pipelines.get(0);
            User user = gen.ref.users.get(0);
            Lead lead = new Lead(
                    leads.allocateId(),
                    name,
                    price,
                    null,
                    user.id(),
                    user.groupId(),
                    main.statuses().get(1).id(),
                    main.id(),
                    null,
                    null,
                    user.id(),
                    user.id(),
                    createdAt,
                    createdAt,
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
            return lead;
        });
    }
}
