package io.amocrmetl.marts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The mart SQL files: each names itself, reads only lake tables and earlier marts, and the order holds. */
class MartCatalogTest {
    private static final Pattern READS = Pattern.compile("(?i)\\b(?:FROM|JOIN)\\s+([a-z_][a-z0-9_]*)");

    @Test
    void everyMartReadsOnlyLakeTablesAndMartsBuiltBeforeIt() {
        Set<String> known = new HashSet<>();
        Tables.all().forEach(t -> known.add(t.name()));
        List<String> names = new ArrayList<>();
        for (Mart m : MartCatalog.all(true)) {
            assertFalse(known.contains(m.name()), m.name() + " is defined twice or shadows a lake table");
            Set<String> ctes = new HashSet<>();
            Matcher cte = Pattern.compile("(?i)(?:WITH|,)\\s*([a-z_][a-z0-9_]*)\\s+AS\\s*\\(")
                    .matcher(m.sql());
            while (cte.find()) {
                ctes.add(cte.group(1).toLowerCase());
            }
            Matcher r = READS.matcher(m.sql());
            while (r.find()) {
                String t = r.group(1).toLowerCase();
                assertTrue(
                        known.contains(t) || ctes.contains(t),
                        m.name() + " reads '" + t + "', which is neither a lake " + "table nor a mart built before it");
            }
            known.add(m.name());
            names.add(m.name());
        }
        assertTrue(names.containsAll(MartCatalog.ANALYSIS) && names.containsAll(MartCatalog.MYBI));
        assertEquals(names.size(), new HashSet<>(names).size());
    }

    @Test
    void mybiViewsOnlyWhenAskedFor() {
        assertTrue(MartCatalog.all(false).stream().noneMatch(m -> m.group() == Mart.Group.MYBI));
        assertEquals(
                MartCatalog.MYBI.size(),
                MartCatalog.all(true).stream()
                        .filter(m -> m.group() == Mart.Group.MYBI)
                        .count());
    }

    @Test
    void currentViewsCoverEveryTableWithDeletedRows() {
        Set<String> views = new HashSet<>();
        MartCatalog.currentViews().forEach(m -> views.add(m.name()));
        for (LakeTable t : Tables.all()) {
            boolean flagged = t.schema().getFieldIndex("is_deleted").isDefined()
                    && (t.role() == LakeTable.Role.ENTITY || t.role() == LakeTable.Role.REFERENCE);
            assertEquals(flagged, views.contains(t.name() + "_current"), t.name());
        }
        assertTrue(views.containsAll(List.of("leads_current", "contacts_current", "tasks_current", "users_current")));
        MartCatalog.currentViews().forEach(m -> assertTrue(m.sql().endsWith("WHERE NOT is_deleted"), m.sql()));
    }

    @Test
    void kindsAndDescriptionsComeFromTheHeader() {
        Mart funnel = MartCatalog.load("marts/sales_funnel.sql", "sales_funnel", Mart.Group.ANALYSIS);
        assertEquals(Mart.Kind.TABLE, funnel.kind());
        assertTrue(funnel.description().startsWith("The sales funnel per pipeline and status"), funnel.description());
        assertTrue(funnel.sql().startsWith("WITH now_in AS"), funnel.sql());
        assertEquals(
                Mart.Kind.VIEW,
                MartCatalog.load("marts/data_freshness.sql", "data_freshness", Mart.Group.ANALYSIS)
                        .kind());
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> MartCatalog.parse("x.sql", "x", Mart.Group.ANALYSIS, "SELECT 1"));
        assertTrue(e.getMessage().contains("-- table: x"), e.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> MartCatalog.parse("x.sql", "x", Mart.Group.ANALYSIS, "-- view: y\nSELECT 1"));
    }

    @Test
    void onlyNamesMartsAndSaysWhichExist() {
        List<Mart> all = MartCatalog.all(false);
        assertEquals(Set.of("sales_funnel"), MartsJob.select(all, List.of("sales_funnel")));
        assertEquals(all.size(), MartsJob.select(all, null).size());
        EtlException e = assertThrows(EtlException.class, () -> MartsJob.select(all, List.of("sales_funel")));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(
                e.getMessage().contains("no mart 'sales_funel'")
                        && e.getMessage().contains("sales_funnel"),
                e.getMessage());
    }
}
