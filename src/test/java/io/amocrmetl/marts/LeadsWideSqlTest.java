package io.amocrmetl.marts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** leads_wide's pivot: column names from field names, one per field id, typed aggregates. */
class LeadsWideSqlTest {

    @Test
    void columnNamesAreTheFieldNamesAsAnAnalystTypesThem() {
        assertEquals("поле_text", LeadsWideSql.columnName("Поле text"));
        assertEquals("id_заявки", LeadsWideSql.columnName("ID заявки"));
        assertEquals("budget_q1", LeadsWideSql.columnName("  Budget, \"Q1\" (₽)\n"));
        assertEquals("source", LeadsWideSql.columnName("🌷 Source 🌷"));
        assertEquals("", LeadsWideSql.columnName("🌷"));
        assertEquals("", LeadsWideSql.columnName(null));
        assertEquals(100, LeadsWideSql.columnName("x".repeat(300)).length());
    }

    @Test
    void everyFieldGetsAColumnOfItsOwn() {
        List<LeadsWideSql.Column> cols = LeadsWideSql.columns(
                List.of(
                        new LeadsWideSql.Field(11, "Source", "text", 2),
                        new LeadsWideSql.Field(12, "source", "select", 1),
                        new LeadsWideSql.Field(13, "Price", "numeric", 3),
                        new LeadsWideSql.Field(14, "🌷", "text", 4),
                        new LeadsWideSql.Field(15, "2024 plan", "text", 5)),
                Set.of("price", "lead_id"));
        assertEquals(
                List.of("source", "source_11", "price_13", "field_14", "2024_plan_15"),
                cols.stream().map(LeadsWideSql.Column::name).toList());
        assertEquals("custom field 13 \"Price\" (numeric)", cols.get(2).comment());
    }

    @Test
    void aggregatesAreTypedByTheFieldType() {
        assertEquals(
                "max(CASE WHEN field_id = 5 THEN value_number END)",
                LeadsWideSql.aggregate(new LeadsWideSql.Field(5, "n", "monetary", 0)));
        assertEquals(
                "max(CASE WHEN field_id = 5 THEN value_date END)",
                LeadsWideSql.aggregate(new LeadsWideSql.Field(5, "d", "birthday", 0)));
        assertEquals(
                "max(CASE WHEN field_id = 5 THEN value_ts END)",
                LeadsWideSql.aggregate(new LeadsWideSql.Field(5, "t", "date_time", 0)));
        assertTrue(LeadsWideSql.aggregate(new LeadsWideSql.Field(5, "c", "checkbox", 0))
                .contains("lower(value) IN ('true', '1')"));
        String multi = LeadsWideSql.aggregate(new LeadsWideSql.Field(5, "m", "multiselect", 0));
        assertTrue(
                multi.contains(
                        "array_sort(collect_list(CASE WHEN field_id = 5 THEN named_struct('i', value_index, 'v', value)"),
                multi);
        assertTrue(
                LeadsWideSql.aggregate(new LeadsWideSql.Field(5, "u", null, 0)).contains("array_join"),
                "unknown types are text");
    }

    @Test
    void renderFillsBothPlaceholders() {
        String sql = LeadsWideSql.render(
                "SELECT f.*{{field_columns}} FROM x LEFT JOIN (SELECT entity_id{{field_aggregates}} FROM v) v",
                LeadsWideSql.columns(List.of(new LeadsWideSql.Field(7, "Поле", "numeric", 0)), Set.of()));
        assertTrue(sql.contains("v.`поле`"), sql);
        assertTrue(sql.contains("max(CASE WHEN field_id = 7 THEN value_number END) AS `поле`"), sql);
        assertFalse(sql.contains("{{"), sql);
        Mart wide = MartCatalog.load("marts/leads_wide.sql", "leads_wide", Mart.Group.ANALYSIS);
        assertTrue(wide.templated());
        assertFalse(wide.withSql(LeadsWideSql.render(wide.sql(), List.of())).templated());
    }
}
