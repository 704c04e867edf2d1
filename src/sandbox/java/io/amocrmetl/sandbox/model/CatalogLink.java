package io.amocrmetl.sandbox.model;

/** A lead's linked list element, {@code _embedded.catalog_elements[]} with {@code with=catalog_elements}. */
public record CatalogLink(long elementId, long catalogId, double quantity) {}
