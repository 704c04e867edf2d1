package io.amocrmetl.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Rows as plain comparable values: integers as Long, money as a 2-decimal string, timestamps as
 * epoch seconds, arrays as lists, structs as maps by field name. Test code compares what the
 * product wrote with what it builds from ground truth in these terms, field by field.
 */
public final class Canonical {
    private Canonical() {}

    /** Collected rows as maps by column name. */
    public static List<Map<String, Object>> rows(List<Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(row(r, r.schema()));
        }
        return out;
    }

    public static Map<String, Object> row(Row r, StructType schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            out.put(fields[i].name(), value(r.get(i)));
        }
        return out;
    }

    /** One value in canonical form. */
    public static Object value(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Short s) {
            return s.longValue();
        }
        if (v instanceof BigDecimal d) {
            return decimal(d);
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof java.time.LocalDate d) {
            return d.toString();
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().getEpochSecond();
        }
        if (v instanceof java.time.Instant t) {
            return t.getEpochSecond();
        }
        if (v instanceof Row r) {
            return row(r, r.schema());
        }
        if (v instanceof Seq<?> s) {
            List<Object> out = new ArrayList<>();
            for (Object o : CollectionConverters.asJava(s)) {
                out.add(value(o));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(value(o));
            }
            return out;
        }
        return v;
    }

    /** A decimal's canonical text: rounded to 2 places for money, then without trailing zeros ("20.5", "0"). */
    public static String money(BigDecimal d) {
        return decimal(d.setScale(2, RoundingMode.HALF_UP));
    }

    /** A decimal's canonical text, without trailing zeros. */
    public static String decimal(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    /** The same list, sorted by each element's text: for link arrays whose order the API does not promise. */
    public static List<Object> unordered(List<?> in) {
        if (in == null) {
            return null;
        }
        List<Object> out = new ArrayList<>(in);
        out.sort(Comparator.comparing(String::valueOf));
        return out;
    }

    /**
     * Asserts that {@code actual} rows equal {@code expected} ones by key, field by field, naming
     * the first differences. Columns in {@code unorderedColumns} compare as sets.
     */
    public static void assertSameRows(
            String what,
            List<String> key,
            List<Map<String, Object>> expected,
            List<Map<String, Object>> actual,
            java.util.Set<String> unorderedColumns) {
        Map<String, Map<String, Object>> e = byKey(what + " (expected)", key, expected);
        Map<String, Map<String, Object>> a = byKey(what + " (actual)", key, actual);
        List<String> problems = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>(e.keySet());
        missing.removeAll(a.keySet());
        TreeSet<String> extra = new TreeSet<>(a.keySet());
        extra.removeAll(e.keySet());
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " rows missing, e.g. "
                    + missing.stream().limit(5).toList());
        }
        if (!extra.isEmpty()) {
            problems.add(extra.size() + " rows not expected, e.g. "
                    + extra.stream().limit(5).toList());
        }
        for (Map.Entry<String, Map<String, Object>> x : e.entrySet()) {
            Map<String, Object> got = a.get(x.getKey());
            if (got == null) {
                continue;
            }
            for (Map.Entry<String, Object> f : x.getValue().entrySet()) {
                if (!got.containsKey(f.getKey())) {
                    problems.add(x.getKey() + ": column " + f.getKey() + " is missing");
                    continue;
                }
                Object want = f.getValue();
                Object have = got.get(f.getKey());
                if (unorderedColumns.contains(f.getKey()) && want instanceof List<?> w && have instanceof List<?> h) {
                    want = unordered(w);
                    have = unordered(h);
                }
                if (!java.util.Objects.equals(want, have)) {
                    problems.add(x.getKey() + "." + f.getKey() + ": expected " + want + " but was " + have);
                }
            }
            if (problems.size() > 20) {
                break;
            }
        }
        if (!problems.isEmpty()) {
            fail(what + ": " + problems.size() + " differences:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
        }
    }

    private static Map<String, Map<String, Object>> byKey(
            String what, List<String> key, List<Map<String, Object>> rows) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (Map<String, Object> r : rows) {
            StringBuilder k = new StringBuilder();
            for (String c : key) {
                k.append(k.length() == 0 ? "" : "/").append(r.get(c));
            }
            if (out.put(k.toString(), r) != null) {
                fail(what + ": key " + k + " appears twice");
            }
        }
        return out;
    }
}
