package io.amocrmetl.config;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;

/**
 * {@code tables.<table>}: whether the table loads, its filter (a Spark SQL predicate, pushed to
 * the API where the reader can), and for events the types it holds.
 *
 * @param types the event types ({@code tables.events.types}); empty for every other table, and
 *              for events {@code ["all"]} means every type
 */
public record TableSettings(String name, boolean enabled, String filter, List<String> types) {

    /** Whether the events table keeps every type. */
    public boolean allTypes() {
        return types.contains("all");
    }

    static Map<String, TableSettings> from(Config c) {
        Map<String, TableSettings> out = new LinkedHashMap<>();
        for (String t : EtlConfig.children(c, "tables")) {
            String base = "tables." + t;
            boolean enabled = EtlConfig.bool(c, base + ".enabled");
            String filter = EtlConfig.stringOrNull(c, base + ".filter");
            if (filter != null) {
                try {
                    // Syntax only, without Spark running; columns are checked when the table is read.
                    CatalystSqlParser$.MODULE$.parseExpression(filter);
                } catch (Exception e) { // Spark's ParseException is a Scala (unchecked) AnalysisException
                    throw EtlConfig.bad(
                            base + ".filter",
                            "is not a Spark SQL predicate: "
                                    + String.valueOf(e.getMessage())
                                            .lines()
                                            .findFirst()
                                            .orElse(""),
                            c);
                }
            }
            List<String> types = c.hasPath(base + ".types") ? EtlConfig.stringList(c, base + ".types") : List.of();
            if (c.hasPath(base + ".types") && types.isEmpty()) {
                throw EtlConfig.bad(base + ".types", "must name at least one event type, or \"all\"", c);
            }
            out.put(t, new TableSettings(t, enabled, filter, types));
        }
        return Map.copyOf(out);
    }
}
