package io.amocrmetl.sandbox.model;

/** A lead's linked contact, {@code _embedded.contacts[]} with {@code with=contacts}. */
public record ContactLink(long contactId, boolean isMain) {}
