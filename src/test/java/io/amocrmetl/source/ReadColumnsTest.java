package io.amocrmetl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntitySpec;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The columns a read works with, from those Spark asked for (no Spark session needed). */
class ReadColumnsTest {
    static final EntitySpec LEADS = Entities.get("leads");

    static StructType only(String... names) {
        StructType full = LEADS.schema();
        StructType out = new StructType();
        for (String n : names) {
            out = out.add(full.apply(n));
        }
        return out;
    }

    @Test
    void theReaderAddsTheKeyCursorAndDriftAfterWhatSparkAskedFor() {
        ReadColumns c = ReadColumns.of(LEADS, only("name"));
        assertEquals(List.of("name"), List.of(c.wanted().fieldNames()));
        assertEquals(
                List.of("name", "id", "updated_at", EntitySpec.DRIFT),
                List.of(c.internal().fieldNames()));
        assertFalse(c.withPid());
        assertEquals(List.of(), c.with(), "no embedded column asked for: no with=");
    }

    @Test
    void columnsSparkAskedForAreNotAddedTwice() {
        ReadColumns c = ReadColumns.of(LEADS, only("updated_at", "id"));
        assertEquals(
                List.of("updated_at", "id", EntitySpec.DRIFT),
                List.of(c.internal().fieldNames()));
    }

    @Test
    void thePidColumnIsTheReadersNotTheApis() {
        StructType required = only("id", "contacts").add(ReadOptions.PID_COLUMN, DataTypes.LongType);
        ReadColumns c = ReadColumns.of(LEADS, required);
        assertTrue(c.withPid());
        assertEquals(List.of("id", "contacts"), List.of(c.wanted().fieldNames()));
        assertFalse(List.of(c.internal().fieldNames()).contains(ReadOptions.PID_COLUMN));
        assertEquals(List.of("contacts"), c.with(), "an embedded column asks for its with=");
    }
}
