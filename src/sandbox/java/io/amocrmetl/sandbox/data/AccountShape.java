package io.amocrmetl.sandbox.data;

/**
 * How many of each entity an account of about {@code leads} leads holds: contacts 1.5x,
 * companies 0.3x, tasks 1x, notes 2x (split over leads, contacts and companies), unsorted and
 * customers 0.1x each, customer transactions 0.3x, list elements 0.2x; events come to about 5x
 * from the entities' histories.
 */
public record AccountShape(
        int leads,
        int contacts,
        int companies,
        int tasks,
        int leadNotes,
        int contactNotes,
        int companyNotes,
        int unsorted,
        int customers,
        int transactions,
        int customerNotes,
        int catalogElements) {

    public static AccountShape ofLeads(int leads) {
        if (leads < 10) {
            throw new IllegalArgumentException("an account needs at least 10 leads, got " + leads);
        }
        int tenth = Math.max(3, leads / 10);
        return new AccountShape(
                leads,
                (int) Math.round(leads * 1.5),
                Math.max(3, (int) Math.round(leads * 0.3)),
                leads,
                (int) Math.round(leads * 1.2),
                (int) Math.round(leads * 0.6),
                Math.max(2, (int) Math.round(leads * 0.2)),
                tenth,
                tenth,
                3 * tenth,
                tenth,
                Math.max(9, leads / 5));
    }
}
