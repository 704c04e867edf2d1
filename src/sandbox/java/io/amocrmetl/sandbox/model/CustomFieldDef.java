package io.amocrmetl.sandbox.model;

import java.util.List;

/** A custom-field definition (docs/amocrm-api.md §2.3); {@code enums} is empty for types without enums. */
public record CustomFieldDef(
        String entityType,
        long id,
        String name,
        String code,
        int sort,
        String type,
        boolean isApiOnly,
        List<EnumDef> enums) {

    /** One enum option of a field. */
    public record EnumDef(long id, String value, int sort) {}
}
