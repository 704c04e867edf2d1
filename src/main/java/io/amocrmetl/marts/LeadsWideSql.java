package io.amocrmetl.marts;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * leads_wide's pivot: one column per lead custom field, by field id, named by the field's current
 * name. A name becomes a column the way an analyst would type it: lower case, letters (Cyrillic
 * too) and digits kept, everything else one {@code _}. A name that is empty after that, starts
 * with a digit, or collides with another column gets the field id appended, so every field keeps
 * a column of its own. Spark-free.
 */
final class LeadsWideSql {
    static final String COLUMNS = "{{field_columns}}";
    static final String AGGREGATES = "{{field_aggregates}}";
    private static final int MAX_NAME = 100;
    private static final Set<String> NUMBERS = Set.of("numeric", "price", "monetary");
    private static final Set<String> DATES = Set.of("date", "birthday");

    /** A lead custom field as the lake knows it (custom_fields, or only its values). */
    record Field(long id, String name, String type, int sort) {}

    /** A pivoted column: its name, the aggregate that fills it, and the comment naming its field. */
    record Column(String name, String aggregate, String comment) {}

    private LeadsWideSql() {}

    /** The columns for {@code fields} (in their sort order), none named like {@code taken} (lead_facts' columns). */
    static List<Column> columns(List<Field> fields, Set<String> taken) {
        Set<String> used = new HashSet<>();
        taken.forEach(t -> used.add(t.toLowerCase(Locale.ROOT)));
        List<Field> ordered = new ArrayList<>(fields);
        ordered.sort(
                (a, b) -> a.sort() != b.sort() ? Integer.compare(a.sort(), b.sort()) : Long.compare(a.id(), b.id()));
        List<Column> out = new ArrayList<>();
        for (Field f : ordered) {
            String name = columnName(f.name());
            if (name.isEmpty() || Character.isDigit(name.charAt(0)) || used.contains(name)) {
                name = (name.isEmpty() ? "field" : name) + "_" + f.id();
            }
            used.add(name);
            out.add(new Column(
                    name, aggregate(f), "custom field " + f.id() + " \"" + f.name() + "\" (" + f.type() + ")"));
        }
        return out;
    }

    /** A field name as a column name: lower case, runs of anything but letters and digits as one '_'. */
    static String columnName(String fieldName) {
        if (fieldName == null) {
            return "";
        }
        String s = Normalizer.normalize(fieldName, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                b.appendCodePoint(cp);
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '_') {
                b.append('_');
            }
        });
        String out = b.toString();
        while (out.endsWith("_")) {
            out = out.substring(0, out.length() - 1);
        }
        return out.length() > MAX_NAME ? out.substring(0, MAX_NAME) : out;
    }

    /** The aggregate over one lead's value rows that yields this field's typed value. */
    static String aggregate(Field f) {
        String when = "CASE WHEN field_id = " + f.id() + " THEN ";
        String type = f.type() == null ? "" : f.type();
        if (NUMBERS.contains(type)) {
            return "max(" + when + "value_number END)";
        }
        if (DATES.contains(type)) {
            return "max(" + when + "value_date END)";
        }
        if (type.equals("date_time")) {
            return "max(" + when + "value_ts END)";
        }
        if (type.equals("checkbox")) {
            return "max(" + when + "lower(value) IN ('true', '1') END)";
        }
        // Several values (multiselect, multitext...) in their order; null when the lead has none.
        return "CASE WHEN count(" + when + "1 END) > 0 THEN array_join(transform(array_sort(collect_list(" + when
                + "named_struct('i', value_index, 'v', value) END)), x -> x.v), ', ') END";
    }

    /** leads_wide's SQL with the pivot filled in. */
    static String render(String template, List<Column> columns) {
        StringBuilder select = new StringBuilder();
        StringBuilder aggregates = new StringBuilder();
        for (Column c : columns) {
            String quoted = "`" + c.name().replace("`", "``") + "`";
            select.append(",\n  v.").append(quoted);
            aggregates.append(",\n    ").append(c.aggregate()).append(" AS ").append(quoted);
        }
        return template.replace(COLUMNS, select.toString()).replace(AGGREGATES, aggregates.toString());
    }
}
