package io.amocrmetl.sandbox.model;

/** A tag as embedded in an entity: {@code {id, name, color}}; colour is null except on lead tags. */
public record TagRef(long id, String name, String color) {}
