package io.amocrmetl.marts;

import java.util.Locale;

/**
 * One mart: a name, whether {@code marts} materialises it as a Delta table or it stays a view
 * over the lake, its Spark SQL, and the description its SQL file opens with.
 */
record Mart(String name, Kind kind, Group group, String sql, String description) {

    /** A Delta table written by {@code marts}, or a view defined wherever the marts are registered. */
    enum Kind {
        TABLE,
        VIEW;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where a mart comes from: the analysis marts, the generated {@code *_current} views, the mybi views. */
    enum Group {
        ANALYSIS,
        CURRENT,
        MYBI
    }

    /** leads_wide's SQL holds placeholders until the lake's custom fields are known ({@link LeadsWideSql}). */
    boolean templated() {
        return sql.contains(LeadsWideSql.COLUMNS) || sql.contains(LeadsWideSql.AGGREGATES);
    }

    Mart withSql(String resolved) {
        return new Mart(name, kind, group, resolved, description);
    }
}
