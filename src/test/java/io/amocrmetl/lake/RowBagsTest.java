package io.amocrmetl.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class RowBagsTest {
    static Row row(Object... v) {
        return RowFactory.create(v);
    }

    @Test
    void keepsWhatTheOtherSideLacksCountingDuplicatesAndNulls() {
        List<Row> a = List.of(row(1L, "a", null), row(1L, "a", null), row(2L, "b", 3L), row(3L, null, null));
        List<Row> b = List.of(row(1L, "a", null), row(2L, "b", 4L), row(3L, null, null));
        assertEquals(List.of(row(1L, "a", null), row(2L, "b", 3L)), RowBags.exceptAll(a, b, new int[] {0, 1, 2}));
        // Projected to the first column (a key), only the duplicate is left over.
        assertEquals(List.of(row(1L)), RowBags.exceptAll(a, b, new int[] {0}));
        assertEquals(List.of(), RowBags.exceptAll(b, a, new int[] {0}));
    }

    @Test
    void comparesNestedValuesByContent() {
        var tags1 = scala.jdk.javaapi.CollectionConverters.asScala(List.of("x", "y"))
                .toSeq();
        var tags2 = scala.jdk.javaapi.CollectionConverters.asScala(List.of("x", "y"))
                .toSeq();
        List<Row> a = List.of(row(1L, tags1, row("n", new java.math.BigDecimal("1.50"))));
        List<Row> b = List.of(row(1L, tags2, row("n", new java.math.BigDecimal("1.50"))));
        assertEquals(List.of(), RowBags.exceptAll(a, b, new int[] {0, 1, 2}));
        List<Row> c = List.of(row(1L, tags2, row("m", new java.math.BigDecimal("1.50"))));
        assertEquals(1, RowBags.exceptAll(a, c, new int[] {0, 1, 2}).size());
    }
}
