package io.amocrmetl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The handbook holds together: every relative link and anchor in README.md and docs/ resolves,
 * every docs page and amoCRM API section the code cites exists, and nothing cites a document
 * outside the repository, which a user could not follow.
 */
class DocsTest {
    private static final Pattern LINK = Pattern.compile("(?<!!)\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern DOC_CITE =
            Pattern.compile("docs/([a-z0-9-]+\\.md)(?:\\s+§\\s?([0-9]+(?:\\.[0-9]+)?))?");
    /** Ways the code once cited material users cannot see. */
    private static final Pattern OUTSIDE = Pattern.compile(
            "DESIGN\\.md|reference\\s§|reference\\/[a-z-]+\\.md|\\.\\./shared|[Tt]he brief\\b|connector-conventions|spark-delta-notes"
                    + "|amocrm-api-v4");

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        int checked = 0;
        for (Path f : markdown()) {
            List<String> lines = Files.readAllLines(f);
            boolean fence = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.stripLeading().startsWith("```")) {
                    fence = !fence;
                    continue;
                }
                if (fence) {
                    continue;
                }
                Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue;
                    }
                    checked++;
                    int hash = target.indexOf('#');
                    String path = hash < 0 ? target : target.substring(0, hash);
                    Path dest = path.isEmpty()
                            ? f
                            : f.toAbsolutePath().getParent().resolve(path).normalize();
                    if (!Files.exists(dest)) {
                        broken.add(f + ":" + (i + 1) + ": " + target + ": no such file");
                    } else if (hash >= 0
                            && !anchors.computeIfAbsent(dest, DocsTest::anchors).contains(target.substring(hash + 1))) {
                        broken.add(f + ":" + (i + 1) + ": " + target + ": no such heading");
                    }
                }
            }
        }
        assertTrue(checked > 50, "too few links found (" + checked + "): wrong working directory?");
        assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
    }

    @Test
    void citedDocsPagesAndApiSectionsExist() throws IOException {
        Set<String> sections = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("docs/amocrm-api.md"))) {
            Matcher h =
                    Pattern.compile("^#{2,3}\\s+([0-9]+(?:\\.[0-9]+)?)\\.?\\s").matcher(line);
            if (h.find()) {
                sections.add(h.group(1));
            }
        }
        assertTrue(sections.containsAll(List.of("1.1", "2.4", "4.3", "5.1", "6.2", "9")), sections.toString());
        List<String> missing = new ArrayList<>();
        for (Path f : repositoryText()) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = DOC_CITE.matcher(lines.get(i));
                while (m.find()) {
                    if (!Files.exists(Path.of("docs", m.group(1)))) {
                        missing.add(f + ":" + (i + 1) + ": docs/" + m.group(1));
                    } else if (m.group(2) != null
                            && m.group(1).equals("amocrm-api.md")
                            && !sections.contains(m.group(2))) {
                        missing.add(f + ":" + (i + 1) + ": docs/amocrm-api.md §" + m.group(2));
                    }
                }
            }
        }
        assertTrue(
                missing.isEmpty(), "citations of pages or sections that do not exist:\n" + String.join("\n", missing));
    }

    @Test
    void nothingCitesADocumentOutsideTheRepository() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path f : repositoryText()) {
            if (f.endsWith("DocsTest.java")) {
                continue;
            }
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE.matcher(lines.get(i)).find()) {
                    found.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertTrue(found.isEmpty(), "cite docs/ instead:\n" + String.join("\n", found));
    }

    /** The forms are spelled in pieces here so that this file does not cite them itself. */
    @Test
    void theOutsidePatternCatchesEachForm() {
        for (String cited : List.of(
                "DESIGN" + ".md",
                "reference " + "§4.3",
                "reference/" + "amocrm-api-v4.md",
                "../" + "shared",
                "the " + "brief")) {
            assertTrue(OUTSIDE.matcher("see " + cited).find(), cited);
        }
        assertTrue(!OUTSIDE.matcher("see docs/amocrm-api.md §4.3").find());
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertEquals("3-pagination", anchor("3. Pagination"));
        assertEquals("33-empty-result--http-204-no-content", anchor("3.3 Empty result → HTTP 204 No Content"));
        assertEquals("34-with-options", anchor("3.4 `with` options"));
    }

    static String anchor(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                .replace(' ', '-');
    }

    private static Set<String> anchors(Path file) {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fence = false;
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.stripLeading().startsWith("```")) {
                    fence = !fence;
                    continue;
                }
                Matcher m = HEADING.matcher(line);
                if (fence || !m.find()) {
                    continue;
                }
                String a = anchor(m.group(2));
                int n = seen.merge(a, 1, Integer::sum) - 1;
                out.add(n == 0 ? a : a + "-" + n);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static List<Path> markdown() throws IOException {
        List<Path> out = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** The repository's own text: sources, docs, configuration, jobs, notebooks and build files. */
    private static List<Path> repositoryText() throws IOException {
        List<Path> out = new ArrayList<>(List.of(Path.of("README.md"), Path.of("pom.xml")));
        for (String root : List.of("src", "docs", "conf", "jobs", "notebooks", ".ci")) {
            if (!Files.isDirectory(Path.of(root))) {
                continue;
            }
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                files.filter(Files::isRegularFile)
                        .filter(p -> p.toString().matches(".*\\.(java|md|conf|properties|py|json|ipynb|sql|sh|xml)$")
                                || p.getParent().endsWith("bench")
                                || p.getFileName().toString().equals("run")
                                || p.getFileName().toString().equals("amocrm-etl"))
                        .filter(p -> !p.toString().contains("__pycache__"))
                        .sorted()
                        .forEach(out::add);
            }
        }
        return out;
    }
}
