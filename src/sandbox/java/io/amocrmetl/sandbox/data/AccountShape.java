package io.amocrmetl.sandbox.data;

/**
 * How many of each entity an account of about {@code leads} leads holds: contacts 1.5x,
 * companies 0.3x, tasks 1x, notes 2x (split over leads, contacts and companies); events come to
 * about 5x from the entities' histories.
 */
public record AccountShape(int leads, int contacts, int companies, int tasks, int leadNotes,
                           int contactNotes, int companyNotes) {

    public static AccountShape ofLeads(int leads) {
        if (leads < 10) {
            throw new IllegalArgumentException("an account needs at least 10 leads, got " + leads);
        }
        return new AccountShape(leads, (int) Math.round(leads * 1.5), Math.max(3, (int) Math.round(leads * 0.3)),
                leads, (int) Math.round(leads * 1.2), (int) Math.round(leads * 0.6),
                Math.max(2, (int) Math.round(leads * 0.2)));
    }
}
