package io.amocrmetl.sandbox.model;

/** A tag of one entity type; tag ids are separate per entity type (docs/amocrm-api.md §2.4). */
public record Tag(String entityType, long id, String name, String color) {}
