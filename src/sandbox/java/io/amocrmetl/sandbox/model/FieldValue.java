package io.amocrmetl.sandbox.model;

/**
 * One {@code values[]} item: {@code {value, enum_id?, enum_code?}} (docs/amocrm-api.md §2.3).
 *
 * @param value a String, Long, Double, Boolean, or a {@code Map<String,Object>} for the
 *              object-shaped types (legal_entity, items, linked_entity, chained_list, file, payer,
 *              supplier); never null
 * @param enumId null unless the field type has enums
 * @param enumCode null unless the enum has a code (e.g. {@code WORK} for PHONE)
 */
public record FieldValue(Object value, Long enumId, String enumCode) {}
