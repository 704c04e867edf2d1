package io.amocrmetl.marts;

import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every mart, in the order they are built (a mart reads the lake and the marts before it). The
 * analysis is kept as SQL files under {@code src/main/resources/marts/} so the same text can be
 * read and run elsewhere (PySpark, Databricks: register the lake tables as views by their names,
 * then run the files in this order); the {@code *_current} views are generated from the table
 * registry. Spark-free.
 */
final class MartCatalog {
    /** The analysis marts, in dependency order. */
    static final List<String> ANALYSIS = List.of(
            "lead_facts",
            "leads_wide",
            "sales_funnel",
            "conversion_monthly",
            "lead_status_stays",
            "time_in_status",
            "manager_stats",
            "ga_client_id_coverage",
            "data_freshness",
            "reconciliation_latest");
    /** The mybi-compatible views (docs/conventions.md), defined when {@code marts.mybi-views} is on. */
    static final List<String> MYBI = List.of(
            "amocrm_leads",
            "amocrm_leads_attributes",
            "amocrm_leads_tags",
            "amocrm_leads_facts",
            "amocrm_pipelines",
            "amocrm_statuses",
            "amocrm_users",
            "amocrm_contacts",
            "amocrm_companies",
            "amocrm_tasks");

    static final String CURRENT_SUFFIX = "_current";
    private static final Pattern HEADER = Pattern.compile("\\A--\\s*(table|view):\\s*([a-z0-9_]+)\\s*\\R");

    private MartCatalog() {}

    /** Every mart: the {@code *_current} views, the analysis marts, then (optionally) the mybi views. */
    static List<Mart> all(boolean mybiViews) {
        List<Mart> out = new ArrayList<>(currentViews());
        for (String name : ANALYSIS) {
            out.add(load("marts/" + name + ".sql", name, Mart.Group.ANALYSIS));
        }
        if (mybiViews) {
            for (String name : MYBI) {
                out.add(load("marts/mybi/" + name + ".sql", name, Mart.Group.MYBI));
            }
        }
        return out;
    }

    /** {@code <table>_current}: an entity or reference table without its deleted (or vanished) rows. */
    static List<Mart> currentViews() {
        List<Mart> out = new ArrayList<>();
        for (LakeTable t : Tables.all()) {
            boolean flagged = t.schema().getFieldIndex(Columns.IS_DELETED).isDefined();
            if (flagged && (t.role() == LakeTable.Role.ENTITY || t.role() == LakeTable.Role.REFERENCE)) {
                out.add(new Mart(
                        t.name() + CURRENT_SUFFIX,
                        Mart.Kind.VIEW,
                        Mart.Group.CURRENT,
                        "SELECT * FROM " + t.name() + " WHERE NOT is_deleted",
                        t.name() + " without its deleted rows (is_deleted = false)."));
            }
        }
        return out;
    }

    /** Reads one SQL file; its first line must name it ({@code -- table: x} or {@code -- view: x}). */
    static Mart load(String resource, String expectedName, Mart.Group group) {
        String text;
        try (InputStream in = MartCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the mart SQL " + resource + " is missing from the build");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(resource, expectedName, group, text);
    }

    static Mart parse(String resource, String expectedName, Mart.Group group, String text) {
        Matcher m = HEADER.matcher(text);
        if (!m.find() || !m.group(2).equals(expectedName)) {
            throw new IllegalStateException(resource + " must begin with \"-- table: " + expectedName
                    + "\" or \"-- view: " + expectedName + "\"");
        }
        Mart.Kind kind = Mart.Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        StringBuilder description = new StringBuilder();
        StringBuilder sql = new StringBuilder();
        boolean header = true;
        for (String line : text.substring(m.end()).split("\\R", -1)) {
            if (header && line.startsWith("--")) {
                description
                        .append(description.length() == 0 ? "" : " ")
                        .append(line.substring(2).trim());
            } else {
                header = false;
                sql.append(line).append('\n');
            }
        }
        return new Mart(expectedName, kind, group, sql.toString().strip(), description.toString());
    }
}
