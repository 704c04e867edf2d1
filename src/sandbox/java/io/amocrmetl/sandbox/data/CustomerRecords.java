package io.amocrmetl.sandbox.data;

import static io.amocrmetl.sandbox.data.AccountGenerator.CUSTOMERS;
import static io.amocrmetl.sandbox.data.AccountGenerator.DAY;
import static io.amocrmetl.sandbox.data.AccountGenerator.TRANSACTIONS;

import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.User;
import java.util.List;
import java.util.SplittableRandom;

/** Base customers (each on an existing contact) and their purchase transactions. */
final class CustomerRecords {
    private final AccountGenerator gen;
    private final long seed;
    private final AccountShape shape;
    private final ReferenceData ref;

    CustomerRecords(AccountGenerator gen) {
        this.gen = gen;
        this.seed = gen.seed;
        this.shape = gen.shape;
        this.ref = gen.ref;
    }

    Customer customer(int i) {
        SplittableRandom r = Hash.random(seed, CUSTOMERS, i);
        User responsible = ref.user(r);
        long updated = gen.customers.updatedAt(i);
        long contact = gen.contacts.id((int) ((long) i * shape.contacts() / shape.customers()));
        int purchases = r.nextInt(0, 12);
        long average = r.nextInt(1, 100) * 500L;
        return new Customer(
                gen.customers.id(i),
                i == 1 ? Texts.HOSTILE_NAMES[1] : "Покупатель " + Texts.pick(r, Texts.LAST),
                average,
                r.nextBoolean() ? updated + r.nextLong(DAY, 60 * DAY) : null,
                responsible.id(),
                ReferenceData.CUSTOMER_STATUSES[r.nextInt(ReferenceData.CUSTOMER_STATUSES.length)],
                r.nextBoolean() ? 30 : null,
                ref.user(r).id(),
                responsible.id(),
                gen.customers.createdAt(i),
                updated,
                null,
                i == 2
                        ? null
                        : gen.fields.customFields("customers", Hash.random(seed, 92, i), updated, i == 0 ? 1.0 : 0.5),
                purchases * average,
                purchases,
                average,
                gen.fields.tags("customers", Hash.random(seed, 93, i), -1),
                List.of(contact));
    }

    CustomerTransaction transaction(int t) {
        SplittableRandom r = Hash.random(seed, TRANSACTIONS, t);
        long customer = gen.customers.id((int) ((long) t * shape.customers() / shape.transactions()));
        long created = gen.transactions.createdAt(t);
        long user = ref.user(r).id();
        return new CustomerTransaction(
                gen.transactions.id(t),
                customer,
                r.nextInt(1, 200) * 100L,
                t % 4 == 0 ? null : "Покупка №" + (t + 1),
                created,
                created,
                gen.transactions.updatedAt(t),
                user,
                user,
                r.nextBoolean() ? (long) r.nextInt(1, 200) * 100 : null,
                null);
    }
}
