package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.AccountInfo;
import io.amocrmetl.sandbox.model.Catalog;
import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.CatalogLink;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.LossReason;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.Unsorted;
import io.amocrmetl.sandbox.model.User;
import java.util.List;
import java.util.Map;

/**
 * A consistent snapshot of the whole account at one sandbox instant, deleted entities included
 * with their deletion time (docs/sandbox.md). Tests build their expected lake from it
 * with code of their own.
 */
public record GroundTruth(
        long takenAt,
        AccountInfo account,
        List<User> users,
        List<Pipeline> pipelines,
        List<LossReason> lossReasons,
        Map<String, List<Tag>> tags,
        Map<String, List<CustomFieldDef>> customFields,
        Entities<Lead> leads,
        Entities<Contact> contacts,
        Entities<Company> companies,
        Entities<Task> tasks,
        Map<String, Entities<Note>> notes,
        List<Event> events,
        Entities<Unsorted> unsorted,
        Entities<Customer> customers,
        Entities<CustomerTransaction> transactions,
        List<Catalog> catalogs,
        Map<Long, Entities<CatalogElement>> catalogElements,
        Map<Long, List<CatalogLink>> leadCatalogElements) {

    /** The live records (as the lists serve them) and the deleted ones with their deletion time. */
    public record Entities<T>(List<T> live, List<Deleted<T>> deleted) {}

    /** A deleted record in its last state, and when it was deleted (sandbox seconds). */
    public record Deleted<T>(T record, long deletedAt) {}
}
