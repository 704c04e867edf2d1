package io.amocrmetl.sandbox.data;

import static io.amocrmetl.sandbox.data.AccountStore.require;

import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.ContactLink;
import io.amocrmetl.sandbox.model.Lead;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Changes of the links between leads and contacts: link, unlink, and the merge of duplicate
 * contacts; each writes {@code entity_linked} or {@code entity_unlinked}, and whether updated_at
 * moves is a fidelity switch.
 */
final class LinkEdits {
    private final AccountStore store;
    private final SandboxClock clock;
    private final AccountGenerator gen;
    private final Fidelity fidelity;
    private final EntityTable<Lead> leads;
    private final EntityTable<Contact> contacts;
    private final LinkQueries linkQueries;

    LinkEdits(AccountStore store, LinkQueries linkQueries) {
        this.store = store;
        this.clock = store.clock;
        this.gen = store.gen;
        this.fidelity = store.fidelity;
        this.leads = store.leads;
        this.contacts = store.contacts;
        this.linkQueries = linkQueries;
    }

    /** Links a contact to a lead; writes {@code entity_linked}. Whether updated_at moves is a switch. */
    void link(long leadId, long contactId, boolean main) {
        store.write(() -> {
            Lead lead = store.liveLead(leadId);
            require(contacts.find(contactId), "contacts", contactId);
            if (lead.contacts().stream().anyMatch(c -> c.contactId() == contactId)) {
                return null;
            }
            List<ContactLink> links = new ArrayList<>();
            for (ContactLink c : lead.contacts()) {
                links.add(main ? new ContactLink(c.contactId(), false) : c);
            }
            links.add(
                    main || lead.contacts().isEmpty() ? 0 : links.size(),
                    new ContactLink(contactId, main || lead.contacts().isEmpty()));
            relink(lead, List.copyOf(links), contactId, "entity_linked", fidelity.linkBumpsUpdatedAt);
            return null;
        });
    }

    /** Unlinks a contact from a lead; writes {@code entity_unlinked}. */
    void unlink(long leadId, long contactId) {
        store.write(() -> {
            Lead lead = store.liveLead(leadId);
            List<ContactLink> links = lead.contacts().stream()
                    .filter(c -> c.contactId() != contactId)
                    .toList();
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
    void mergeContacts(long survivorId, long loserId) {
        if (survivorId == loserId) {
            throw new IllegalArgumentException("cannot merge a contact with itself");
        }
        AccountData.Change change = store.write(() -> {
            require(contacts.find(survivorId), "contacts", survivorId);
            Contact loser = require(contacts.find(loserId), "contacts", loserId);
            long now = clock.nowSeconds();
            for (long leadId : linkQueries.contactLeads(loserId)) {
                Lead lead = leads.find(leadId);
                boolean hasSurvivor = lead.contacts().stream().anyMatch(c -> c.contactId() == survivorId);
                List<ContactLink> links = new ArrayList<>();
                for (ContactLink c : lead.contacts()) {
                    if (c.contactId() == loserId) {
                        if (!hasSurvivor) {
                            links.add(new ContactLink(survivorId, c.isMain()));
                        }
                    } else {
                        links.add(
                                c.contactId() == survivorId
                                                && c.isMain() == false
                                                && lead.contacts().stream()
                                                        .anyMatch(x -> x.contactId() == loserId && x.isMain())
                                        ? new ContactLink(survivorId, true)
                                        : c);
                    }
                }
                relink(lead, List.copyOf(links), survivorId, "entity_linked", fidelity.mergeBumpsUpdatedAt);
            }
            if (fidelity.mergeBumpsUpdatedAt) {
                store.bumpAny("contacts", survivorId, now);
            }
            contacts.markDeleted(loserId, now);
            store.addEvent(
                    "contact_deleted", loserId, "contact", gen.ref.users.get(0).id(), now, List.of(), List.of());
            return new AccountData.Change("contacts", "delete", loserId, loser);
        });
        store.notifyListeners(change);
    }

    private void relink(Lead lead, List<ContactLink> links, long contactId, String eventType, boolean bump) {
        long now = clock.nowSeconds();
        Lead changed = lead.withContacts(links);
        store.putLead(bump ? changed.withUpdate(now, gen.ref.users.get(0).id()) : changed);
        if (bump && contacts.find(contactId) != null) {
            store.bumpAny("contacts", contactId, now);
        }
        store.addEvent(
                eventType,
                lead.id(),
                "lead",
                gen.ref.users.get(0).id(),
                now,
                eventType.equals("entity_linked") ? List.of(link(contactId)) : List.of(),
                eventType.equals("entity_unlinked") ? List.of(link(contactId)) : List.of());
    }

    private static Map<String, Object> link(long contactId) {
        return FieldValues.object(
                "link", FieldValues.object("entity", FieldValues.object("id", contactId, "type", "contact")));
    }
}
