package io.amocrmetl.marts;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** Rows as an HTML table for notebook outputs (GitHub renders it): text escaped, numbers right-aligned. */
public final class HtmlTable {
    private HtmlTable() {}

    public static String of(List<String> columns, List<List<Object>> rows) {
        StringBuilder b = new StringBuilder("<table>\n<thead><tr>");
        columns.forEach(c -> b.append("<th>").append(escape(c)).append("</th>"));
        b.append("</tr></thead>\n<tbody>\n");
        for (List<Object> r : rows) {
            b.append("<tr>");
            for (Object v : r) {
                boolean number = v instanceof Number;
                b.append(number ? "<td style=\"text-align:right\">" : "<td>")
                        .append(escape(format(v)))
                        .append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody>\n</table>").toString();
    }

    static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return String.format(Locale.ROOT, "%,.2f", d);
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
