package io.amocrmetl.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** JSON → InternalRow without Spark running: the conversion rules and drift (docs/spark-reader.md). */
class ItemReaderTest {
    private static final JsonFactory JSON = new JsonFactory();

    static List<InternalRow> read(String entity, StructType required, String json, Map<String, Object> ctx)
            throws IOException {
        ItemReader r = Entities.get(entity).reader(required);
        List<InternalRow> rows = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            r.read(p, ctx, rows::add);
        }
        return rows;
    }

    static InternalRow one(String entity, String json) throws IOException {
        return read(entity, Entities.get(entity).schema(), json, Map.of("account_id", 7L))
                .get(0);
    }

    static int col(String entity, String name) {
        return Entities.get(entity).schema().fieldIndex(name);
    }

    static List<String> drift(String entity, InternalRow row) {
        int at = col(entity, "_drift");
        List<String> out = new ArrayList<>();
        if (row.isNullAt(at)) {
            return out;
        }
        ArrayData d = row.getArray(at);
        for (int i = 0; i < d.numElements(); i++) {
            InternalRow x = d.getStruct(i, 3);
            out.add(x.getUTF8String(0) + " " + x.getUTF8String(1) + " " + x.getUTF8String(2));
        }
        return out;
    }

    @Test
    void priceWithMinorUnitsWinsInEitherOrder() throws IOException {
        InternalRow a = one("leads", "{\"id\":1,\"price\":100,\"price_with_minor_units\":100.55}");
        InternalRow b = one("leads", "{\"id\":1,\"price_with_minor_units\":100.55,\"price\":100}");
        InternalRow c = one("leads", "{\"id\":1,\"price\":100,\"price_with_minor_units\":null}");
        assertEquals("100.55", a.getDecimal(col("leads", "price"), 18, 2).toString());
        assertEquals("100.55", b.getDecimal(col("leads", "price"), 18, 2).toString());
        assertEquals("100.00", c.getDecimal(col("leads", "price"), 18, 2).toString());
    }

    @Test
    void timestampsAreMicrosFromUnixSeconds() throws IOException {
        InternalRow r =
                one("leads", "{\"id\":1,\"created_at\":1700000000,\"updated_at\":\"1700000001\",\"closed_at\":null}");
        assertEquals(1_700_000_000_000_000L, r.getLong(col("leads", "created_at")));
        assertEquals(1_700_000_001_000_000L, r.getLong(col("leads", "updated_at")), "a numeric string is read");
        assertTrue(r.isNullAt(col("leads", "closed_at")));
        assertTrue(drift("leads", r).isEmpty());
    }

    @Test
    void oddValuesAreNullAndKeptRaw() throws IOException {
        InternalRow r = one(
                "leads",
                "{\"id\":1,\"score\":\"many\",\"group_id\":[1],\"is_deleted\":\"maybe\",\"name\":{\"a\":1},"
                        + "\"created_at\":\"yesterday\",\"score2\":1}");
        assertTrue(r.isNullAt(col("leads", "score")));
        assertTrue(r.isNullAt(col("leads", "group_id")));
        assertTrue(r.isNullAt(col("leads", "is_deleted")));
        assertTrue(r.isNullAt(col("leads", "name")));
        assertEquals(
                List.of(
                        "odd_value score \"many\"",
                        "odd_value group_id [1]",
                        "odd_value is_deleted \"maybe\"",
                        "odd_value name {\"a\":1}",
                        "odd_value created_at \"yesterday\"",
                        "new_field score2 1"),
                drift("leads", r));
    }

    @Test
    void integersOutOfRangeAreOdd() throws IOException {
        InternalRow r = one("leads", "{\"id\":99999999999999999999,\"score\":4294967296}");
        assertTrue(r.isNullAt(col("leads", "id")));
        assertTrue(r.isNullAt(col("leads", "score")), "score is an INT");
        assertEquals(2, drift("leads", r).size());
    }

    @Test
    void booleansAcceptPhpForms() throws IOException {
        InternalRow r = one("tasks", "{\"id\":1,\"is_completed\":1}");
        assertTrue(r.getBoolean(col("tasks", "is_completed")));
        assertTrue(one("tasks", "{\"id\":1,\"is_completed\":\"0\"}").getBoolean(col("tasks", "is_completed")) == false);
    }

    @Test
    void taskResultIsTextOrPhpEmptyArray() throws IOException {
        assertEquals(
                "done",
                one("tasks", "{\"id\":1,\"result\":{\"text\":\"done\"}}")
                        .getUTF8String(col("tasks", "result_text"))
                        .toString());
        InternalRow empty = one("tasks", "{\"id\":1,\"result\":[]}");
        assertTrue(empty.isNullAt(col("tasks", "result_text")));
        assertTrue(drift("tasks", empty).isEmpty(), "[] is PHP's empty object, not drift");
        InternalRow odd = one("tasks", "{\"id\":1,\"result\":[1]}");
        assertEquals(List.of("odd_value result [1]"), drift("tasks", odd));
    }

    @Test
    void emptyEmbeddedAsPhpArrayIsNotDrift() throws IOException {
        InternalRow r = one("leads", "{\"id\":1,\"_embedded\":[],\"_links\":{\"self\":{\"href\":\"x\"}}}");
        assertTrue(drift("leads", r).isEmpty());
        assertTrue(r.isNullAt(col("leads", "tags")));
    }

    @Test
    void customFieldValuesKeepTextAndObjectsAsJson() throws IOException {
        InternalRow r = one(
                "leads",
                "{\"id\":1,\"custom_fields_values\":[{\"field_id\":5,\"field_name\":\"Поле\","
                        + "\"field_code\":null,\"field_type\":\"legal_entity\",\"values\":[{\"value\":{\"name\":\"ООО \\\"Р\\\"\",\"vat_id\":null}}]},"
                        + "{\"field_id\":6,\"field_name\":\"n\",\"field_code\":\"PHONE\",\"field_type\":\"multitext\",\"values\":"
                        + "[{\"value\":\"+7 1\",\"enum_id\":11,\"enum_code\":\"WORK\"},{\"value\":12.50}]},"
                        + "{\"field_id\":7,\"field_name\":\"x\",\"field_type\":\"hologram\",\"values\":[{\"value\":true}]}]}");
        ArrayData f = r.getArray(col("leads", "custom_fields"));
        assertEquals(3, f.numElements());
        InternalRow legal = f.getStruct(0, 5);
        assertEquals(
                "{\"name\":\"ООО \\\"Р\\\"\",\"vat_id\":null}",
                legal.getArray(4).getStruct(0, 3).getUTF8String(0).toString());
        InternalRow phone = f.getStruct(1, 5);
        assertEquals("PHONE", phone.getUTF8String(2).toString());
        assertEquals(11L, phone.getArray(4).getStruct(0, 3).getLong(1));
        assertEquals("12.50", phone.getArray(4).getStruct(1, 3).getUTF8String(0).toString(), "a number keeps its text");
        assertEquals(
                "true",
                f.getStruct(2, 5).getArray(4).getStruct(0, 3).getUTF8String(0).toString());
        assertEquals(List.of("unknown_field_type custom_fields_values.7 hologram"), drift("leads", r));
    }

    @Test
    void prunedColumnsAreSkippedAndAccountIdComesFromContext() throws IOException {
        StructType required = new StructType()
                .add(Entities.get("tags").schema().apply("name"))
                .add(Entities.get("tags").schema().apply("entity_type"))
                .add(Entities.get("tags").schema().apply("account_id"));
        InternalRow r = read(
                        "tags",
                        required,
                        "{\"id\":3,\"name\":\"VIP\",\"color\":\"#fff\"}",
                        Map.of("account_id", 7L, "entity_type", "leads"))
                .get(0);
        assertEquals(3, r.numFields());
        assertEquals("VIP", r.getUTF8String(0).toString());
        assertEquals("leads", r.getUTF8String(1).toString());
        assertEquals(7L, r.getLong(2));
    }

    @Test
    void statusesFanOutOfTheirPipeline() throws IOException {
        List<InternalRow> rows = read(
                "statuses",
                Entities.get("statuses").schema(),
                "{\"id\":70,\"name\":\"P\",\"_embedded\":"
                        + "{\"statuses\":[{\"id\":142,\"pipeline_id\":70,\"name\":\"won\"},{\"id\":143,\"pipeline_id\":70,\"name\":\"lost\"}]}}",
                Map.of("account_id", 7L));
        assertEquals(2, rows.size());
        assertEquals(142L, rows.get(0).getLong(col("statuses", "id")));
        assertEquals(70L, rows.get(1).getLong(col("statuses", "pipeline_id")));
    }

    @Test
    void brokenJsonThrows() {
        assertThrows(IOException.class, () -> one("leads", "{\"id\":1,\"name\":\"x"));
    }
}
