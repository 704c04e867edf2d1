package io.amocrmetl.catalog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every fact about an entity lives in the catalog (docs/architecture.md "Adding an entity"): no
 * product file outside it writes a table's name or a catalog column as a string literal, so adding
 * or renaming one is an edit in one package.
 */
class CatalogOnlyTest {
    private static final Path PRODUCT = Path.of("src/main/java/io/amocrmetl");
    private static final Pattern LITERAL = Pattern.compile("\"([a-z_]+)\"");

    /** Table names and the catalog's shared columns. "account" alone is also a word of messages and forms. */
    static Set<String> catalogNames() {
        Set<String> names = new TreeSet<>();
        Tables.all().forEach(t -> names.add(t.name()));
        names.addAll(List.of(
                Columns.ACCOUNT_ID,
                Columns.SYNCED_AT,
                Columns.RUN_ID,
                Columns.HASH,
                Columns.DRIFT,
                Columns.IS_DELETED,
                Columns.DELETED_AT));
        for (String entity : EntityFacts.loadOrder()) {
            DerivedColumn.of(entity).forEach(d -> names.add(d.name()));
        }
        names.remove(Tables.ACCOUNT);
        return names;
    }

    @Test
    void noProductFileOutsideTheCatalogNamesATableOrCatalogColumn() throws IOException {
        Set<String> names = catalogNames();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(PRODUCT)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                if (f.startsWith(PRODUCT.resolve("catalog"))) {
                    continue;
                }
                String[] lines = withoutComments(Files.readString(f)).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    Matcher m = LITERAL.matcher(lines[i]);
                    while (m.find()) {
                        if (names.contains(m.group(1))) {
                            found.add(f + ":" + (i + 1) + ": \"" + m.group(1) + "\"");
                        }
                    }
                }
            }
        }
        assertTrue(
                found.isEmpty(),
                "name these through io.amocrmetl.catalog (Tables, Columns, EntityFacts):\n" + String.join("\n", found));
    }

    /** A branch on a table name: comparing with, switching on or looking for one of Tables' names. */
    private static final Pattern BRANCH = Pattern.compile(
            "\\.equals\\(Tables\\.[A-Z_]+\\)|Tables\\.[A-Z_]+\\.equals\\(|case Tables\\.|contains\\(Tables\\.[A-Z_]+\\)");

    @Test
    void noProductFileOutsideTheCatalogBranchesOnATableName() throws IOException {
        Set<String> branching = new TreeSet<>();
        try (Stream<Path> files = Files.walk(PRODUCT)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                if (f.startsWith(PRODUCT.resolve("catalog"))) {
                    continue;
                }
                if (BRANCH.matcher(withoutComments(Files.readString(f))).find()) {
                    branching.add(PRODUCT.relativize(f).toString().replace('\\', '/'));
                }
            }
        }
        assertTrue(
                branching.isEmpty(),
                "branch on a catalog fact instead of a table name (EntityFacts, EndpointFacts, DerivedColumn, LinkLayout): "
                        + branching);
    }

    @Test
    void theBranchCheckSeesEachForm() {
        for (String code : List.of(
                "if (t.equals(Tables.LEADS)) {",
                "Tables.TASKS.equals(name)",
                "case Tables.NOTES -> 1;",
                "enabled.contains(Tables.EVENTS)")) {
            assertTrue(BRANCH.matcher(code).find(), code);
        }
        assertFalse(BRANCH.matcher("Tables.get(Tables.LEADS)").find());
    }

    @Test
    void theCheckSeesLiteralsInCodeButNotInComments() {
        Set<String> names = catalogNames();
        assertTrue(names.containsAll(Set.of("leads", "lead_contacts", "_journal", "account_id", "_synced_at")));
        assertFalse(names.contains("account"));
        String code = withoutComments("x.read(\"leads\"); // \"contacts\"\n/** \"tasks\" */ y(\"notes\");");
        List<String> seen = LITERAL.matcher(code).results().map(r -> r.group(1)).toList();
        assertTrue(seen.equals(List.of("leads", "notes")), seen.toString());
    }

    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source);
        Matcher m = Pattern.compile("/\\*.*?\\*/|//[^\n]*|\"(?:\\\\.|[^\"\\\\\n])*\"", Pattern.DOTALL)
                .matcher(source);
        while (m.find()) {
            if (m.group().startsWith("\"")) {
                continue; // literals stay: they are what the check reads
            }
            for (int i = m.start(); i < m.end(); i++) {
                if (out.charAt(i) != '\n') {
                    out.setCharAt(i, ' ');
                }
            }
        }
        return out.toString();
    }
}
