package io.amocrmetl.sandbox.data;

import static io.amocrmetl.sandbox.data.AccountGenerator.COMPANIES;
import static io.amocrmetl.sandbox.data.AccountGenerator.CONTACTS;
import static io.amocrmetl.sandbox.data.AccountGenerator.DAY;

import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.User;
import java.util.List;
import java.util.SplittableRandom;

/** Base contacts and companies (their edge cases are listed on {@link AccountGenerator}). */
final class ContactAndCompanyRecords {
    private final AccountGenerator gen;
    private final long seed;
    private final ReferenceData ref;

    ContactAndCompanyRecords(AccountGenerator gen) {
        this.gen = gen;
        this.seed = gen.seed;
        this.ref = gen.ref;
    }

    Contact contact(int j) {
        SplittableRandom r = Hash.random(seed, CONTACTS, j);
        String first = Texts.pick(r, Texts.FIRST);
        String last = Texts.pick(r, Texts.LAST);
        String name = j >= 2 && j < 5 ? Texts.HOSTILE_NAMES[j - 2] : first + " " + last;
        User responsible = ref.user(r);
        long updated = gen.contacts.updatedAt(j);
        List<CustomFieldValue> cf = j == 1
                ? null
                : gen.fields.customFields("contacts", Hash.random(seed, 22, j), updated, j == 0 ? 1.0 : 0.6);
        int company = gen.links.contactCompany(j);
        return new Contact(
                gen.contacts.id(j),
                name,
                j == 1 ? null : first,
                j == 1 ? null : last,
                responsible.id(),
                responsible.groupId(),
                ref.user(r).id(),
                responsible.id(),
                gen.contacts.createdAt(j),
                updated,
                r.nextInt(10) < 5 ? null : updated + r.nextLong(DAY, 10 * DAY),
                cf,
                gen.fields.tags("contacts", Hash.random(seed, 23, j), j == 0 ? 2 : -1),
                company < 0 ? null : gen.companies.id(company));
    }

    Company company(int k) {
        SplittableRandom r = Hash.random(seed, COMPANIES, k);
        User responsible = ref.user(r);
        long updated = gen.companies.updatedAt(k);
        String name = k == 1 ? Texts.HOSTILE_NAMES[0] : Texts.companyName(r);
        List<CustomFieldValue> cf = k == 1
                ? null
                : gen.fields.customFields("companies", Hash.random(seed, 32, k), updated, k == 0 ? 1.0 : 0.6);
        return new Company(
                gen.companies.id(k),
                name,
                responsible.id(),
                responsible.groupId(),
                ref.user(r).id(),
                responsible.id(),
                gen.companies.createdAt(k),
                updated,
                r.nextInt(10) < 6 ? null : updated + r.nextLong(DAY, 10 * DAY),
                cf,
                gen.fields.tags("companies", Hash.random(seed, 33, k), k == 0 ? 1 : -1));
    }
}
