package io.amocrmetl.sandbox.model;

import java.util.List;

/** One element of {@code custom_fields_values} (docs/amocrm-api.md §2.3). {@code fieldCode} may be null. */
public record CustomFieldValue(
        long fieldId, String fieldName, String fieldCode, String fieldType, List<FieldValue> values) {}
