package io.amocrmetl.sandbox.data;

/**
 * Which base records link to which, by base index: a lead's contacts and company, a contact's
 * company. Pure functions of the seed, so the reverse lookups (a contact's leads) can scan
 * without storing anything.
 */
final class BaseLinks {
    private final long seed;
    private final AccountShape shape;

    BaseLinks(long seed, AccountShape shape) {
        this.seed = seed;
        this.shape = shape;
    }

    /** Contact indexes of lead i, main first: about 90% have one, 30% of those a second. */
    int[] leadContacts(int i) {
        if (i == 2 || Hash.below(seed, 101, i, 10) == 0) {
            return new int[0];
        }
        int main = (int) ((long) i * shape.contacts() / shape.leads());
        if (i == 0 || (Hash.below(seed, 102, i, 10) < 3 && main + 1 < shape.contacts())) {
            return new int[] {main, main + 1};
        }
        return new int[] {main};
    }

    /** Company index of lead i, or -1 (about 60% have one). */
    int leadCompany(int i) {
        if (i == 2 || (i != 0 && Hash.below(seed, 103, i, 10) >= 6)) {
            return -1;
        }
        return (int) ((long) i * shape.companies() / shape.leads());
    }

    /** Company index of contact j, or -1 (about 70% have one). */
    int contactCompany(int j) {
        if (j != 0 && Hash.below(seed, 104, j, 10) >= 7) {
            return -1;
        }
        return (int) ((long) j * shape.companies() / shape.contacts());
    }
}
