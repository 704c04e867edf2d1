package io.amocrmetl.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a link table's rows come out of its parent's read (docs/lakehouse.md): one row per element
 * of a nested array, the parent's id in the table's parent key, and some of the element's fields,
 * each under its lake column.
 *
 * @param array the parent's reader column holding the elements
 * @param linked the entity table the elements are rows of
 * @param fields per element field, the lake column it lands in (in the table's order); the
 *               element's {@code id} lands in the linked entity's key column
 */
public record LinkLayout(String array, String linked, Map<String, String> fields) {
    private static final Map<String, LinkLayout> BY_TABLE = Map.of(
            Tables.LEAD_CONTACTS,
                    new LinkLayout("contacts", Tables.CONTACTS, ordered("id", "contact_id", "is_main", "is_main")),
            Tables.LEAD_CATALOG_ELEMENTS,
                    new LinkLayout(
                            "catalog_elements",
                            Tables.CATALOG_ELEMENTS,
                            ordered(
                                    "id", "element_id",
                                    "catalog_id", "catalog_id",
                                    "quantity", "quantity",
                                    "price_id", "price_id")),
            Tables.CONTACT_COMPANIES, new LinkLayout("companies", Tables.COMPANIES, ordered("id", "company_id")),
            Tables.CUSTOMER_CONTACTS, new LinkLayout("contacts", Tables.CONTACTS, ordered("id", "contact_id")));

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** The layout of a link table, or empty for any other table. */
    public static Optional<LinkLayout> of(String table) {
        return Optional.ofNullable(BY_TABLE.get(table));
    }

    /** The column of a link table holding the linked entity's id. */
    public String linkedKey() {
        return fields.get("id");
    }

    /** The link tables whose elements are rows of {@code entity}, in name order. */
    public static List<String> linking(String entity) {
        return BY_TABLE.entrySet().stream()
                .filter(e -> e.getValue().linked().equals(entity))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** The link tables, for tests that check every one has a layout. */
    static List<String> tables() {
        return List.copyOf(BY_TABLE.keySet());
    }
}
