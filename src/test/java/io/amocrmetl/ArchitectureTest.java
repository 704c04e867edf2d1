package io.amocrmetl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layers of docs/architecture.md. The sandbox and the product never see each other's code:
 * the simulator must not share the client's assumptions, and the spark-submit jar must run without
 * it (any mention counts: imports, qualified names, class-name strings for reflection). Inside the
 * product, each package imports only the packages {@link #MAY_IMPORT} lists, which point down and
 * so can form no cycle, and code names other classes by import, never inline.
 */
class ArchitectureTest {
    /**
     * Each product package and the packages it may import, top to bottom. No exceptions are declared:
     * reconcile's use of ingest (repairs go through the ingest path) is an arrow like any other.
     */
    static final Map<String, Set<String>> MAY_IMPORT = layers(
            "cli", "auth catalog config core doctor ingest lake marts reconcile retention source state webhooks api",
            "reconcile", "ingest api catalog config core lake source state",
            "ingest", "api auth catalog config core lake source state webhooks",
            "retention", "api catalog config core lake state",
            "marts", "catalog config core lake state",
            "doctor", "api auth catalog config core lake state",
            "auth", "api catalog config core",
            "webhooks", "api catalog config core",
            "state", "catalog config core lake",
            "lake", "catalog config core",
            "source", "api catalog config core",
            "api", "catalog config core",
            "config", "catalog core",
            "catalog", "core",
            "core", "");

    /** An import of ours: {@code import [static] io.amocrmetl.PACKAGE.}. */
    static final Pattern OUR_IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?io\\.amocrmetl\\.([a-z]+)\\.");
    /** A qualified name in code (comments and strings blanked first), outside import and package lines. */
    static final Pattern INLINE_QUALIFIED = Pattern.compile(
            "(?<![\\w.])(?:java|javax|org|com|io|scala|okhttp3|okio|picocli|kotlin|jdk|sun)(?:\\.[a-z_][a-z0-9_]*)+\\.[A-Z]");

    /** The product naming the sandbox. */
    static final Pattern PRODUCT_TO_SANDBOX = Pattern.compile("\\bio\\.amocrmetl\\.sandbox\\b");
    /**
     * The sandbox naming any product package (io.amocrmetl.* other than its own): any
     * io.amocrmetl not followed by .sandbox as a whole name, so wildcard imports
     * ({@code import io.amocrmetl.*;}) and the root package count too.
     */
    static final Pattern SANDBOX_TO_PRODUCT = Pattern.compile("\\bio\\.amocrmetl\\b(?!\\.sandbox\\b)");

    @Test
    void productCodeNeverReferencesTheSandbox() throws IOException {
        List<String> found = violations(Path.of("src/main/java"), PRODUCT_TO_SANDBOX);
        assertTrue(found.isEmpty(), "product code references the sandbox:\n" + String.join("\n", found));
    }

    @Test
    void sandboxCodeNeverReferencesTheProduct() throws IOException {
        List<String> found = violations(Path.of("src/sandbox/java"), SANDBOX_TO_PRODUCT);
        assertTrue(found.isEmpty(), "sandbox code references the product:\n" + String.join("\n", found));
    }

    @Test
    void everyPackageImportsOnlyTheLayersBelowIt() throws IOException {
        List<String> found = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Path f : javaFiles(PRODUCT)) {
            String pkg = PRODUCT.relativize(f).getName(0).toString();
            seen.add(pkg);
            Set<String> allowed = MAY_IMPORT.get(pkg);
            if (allowed == null) {
                found.add(
                        f + ": package '" + pkg + "' has no place in MAY_IMPORT (add it and to docs/architecture.md)");
                continue;
            }
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = OUR_IMPORT.matcher(lines.get(i));
                if (m.find() && !m.group(1).equals(pkg) && !allowed.contains(m.group(1))) {
                    found.add(f + ":" + (i + 1) + ": " + pkg + " may not import " + m.group(1));
                }
            }
        }
        assertTrue(found.isEmpty(), "layering broken (docs/architecture.md):\n" + String.join("\n", found));
        assertTrue(seen.containsAll(List.of("cli", "core", "catalog", "ingest")), "packages found: " + seen);
    }

    /** The declared arrows themselves point down: a cycle among them would make every check above moot. */
    @Test
    void theDeclaredLayersHaveNoCycle() {
        assertEquals(List.of(), cycle(MAY_IMPORT));
        Map<String, Set<String>> withCycle = layers("a", "b", "b", "c", "c", "a");
        assertEquals(List.of("a", "b", "c", "a"), cycle(withCycle));
    }

    @Test
    void productCodeNamesNoClassInline() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path f : javaFiles(PRODUCT)) {
            String[] lines = codeOnly(Files.readString(f)).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].stripLeading().startsWith("import ")
                        && !lines[i].stripLeading().startsWith("package ")
                        && INLINE_QUALIFIED.matcher(lines[i]).find()) {
                    found.add(f + ":" + (i + 1) + ": " + lines[i].trim());
                }
            }
        }
        assertTrue(found.isEmpty(), "inline qualified names (import them):\n" + String.join("\n", found));
    }

    @Test
    void inlineNamesAreFoundInCodeOnly() {
        String code = codeOnly(
                "var p = java.nio.file.Path.of(\"org.x.Y\"); // java.util.List\n/** {@link java.util.Map} */\n");
        assertTrue(INLINE_QUALIFIED.matcher(code).find());
        assertEquals(1, INLINE_QUALIFIED.matcher(code).results().count());
        assertFalse(INLINE_QUALIFIED
                .matcher(codeOnly("ctx.config.retention(); lake.spark()"))
                .find());
    }

    @Test
    void bothSourceRootsExistAndHoldCode() throws IOException {
        assertTrue(countJava(Path.of("src/main/java")) > 0, "no product sources found: wrong working directory?");
        assertTrue(countJava(Path.of("src/sandbox/java")) > 10, "no sandbox sources found: wrong working directory?");
    }

    /** The rules catch each way one side can name the other. */
    @Test
    void rulesCatchImportsQualifiedNamesAndReflection() {
        assertTrue(PRODUCT_TO_SANDBOX
                .matcher("import io.amocrmetl.sandbox.Sandbox;")
                .find());
        assertTrue(PRODUCT_TO_SANDBOX
                .matcher("var s = io.amocrmetl.sandbox.Sandbox.start(x);")
                .find());
        assertTrue(PRODUCT_TO_SANDBOX
                .matcher("Class.forName(\"io.amocrmetl.sandbox.http.HttpCore\")")
                .find());
        assertTrue(PRODUCT_TO_SANDBOX
                .matcher("import static io.amocrmetl.sandbox.data.Hash.mix;")
                .find());
        assertFalse(
                PRODUCT_TO_SANDBOX.matcher("import io.amocrmetl.api.AmoClient;").find());
        assertFalse(PRODUCT_TO_SANDBOX
                .matcher("import io.amocrmetl.sandboxed.Thing;")
                .find());

        assertTrue(SANDBOX_TO_PRODUCT
                .matcher("import io.amocrmetl.api.RateLimiter;")
                .find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("io.amocrmetl.core.ExitCode.OK").find());
        assertTrue(SANDBOX_TO_PRODUCT
                .matcher("import io.amocrmetl.sandboxed.Thing;")
                .find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("import io.amocrmetl.*;").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("import io.amocrmetl .*;").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("import static io.amocrmetl.*;").find());
        assertTrue(SANDBOX_TO_PRODUCT
                .matcher("import static io.amocrmetl.api.AmoClient.*;")
                .find());
        assertTrue(SANDBOX_TO_PRODUCT
                .matcher("import static io.amocrmetl.core.ExitCode.OK;")
                .find());
        assertTrue(SANDBOX_TO_PRODUCT
                .matcher("import static io.amocrmetl.Main.run;")
                .find());
        assertTrue(SANDBOX_TO_PRODUCT
                .matcher("Class.forName(\"io.amocrmetl.\" + name)")
                .find());
        assertFalse(SANDBOX_TO_PRODUCT
                .matcher("import static io.amocrmetl.sandbox.data.Hash.mix;")
                .find());
        assertFalse(SANDBOX_TO_PRODUCT
                .matcher("import io.amocrmetl.sandbox.model.*;")
                .find());
        assertFalse(
                SANDBOX_TO_PRODUCT.matcher("package io.amocrmetl.sandbox.http;").find());
        assertFalse(SANDBOX_TO_PRODUCT
                .matcher("import io.amocrmetl.sandbox.model.Lead;")
                .find());
    }

    @Test
    void scannerReportsFileAndLine(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("a/Bad.java");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "package io.amocrmetl.api;\n\nimport io.amocrmetl.sandbox.Sandbox;\n");
        List<String> found = violations(dir, PRODUCT_TO_SANDBOX);
        assertEquals(1, found.size());
        assertTrue(found.get(0).endsWith("Bad.java:3: import io.amocrmetl.sandbox.Sandbox;"), found.get(0));
    }

    static List<String> violations(Path root, Pattern rule) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = rule.matcher(lines.get(i));
                    if (m.find()) {
                        out.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        return out;
    }

    static final Path PRODUCT = Path.of("src/main/java/io/amocrmetl");

    static Map<String, Set<String>> layers(String... pairs) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(
                    pairs[i],
                    pairs[i + 1].isBlank()
                            ? Set.of()
                            : Set.of(pairs[i + 1].trim().split("\\s+")));
        }
        return out;
    }

    /** A cycle among the arrows, as the path that closes it, or an empty list. */
    static List<String> cycle(Map<String, Set<String>> arrows) {
        Map<String, Integer> state = new HashMap<>();
        Deque<String> path = new ArrayDeque<>();
        for (String start : arrows.keySet()) {
            List<String> c = visit(start, arrows, state, path);
            if (!c.isEmpty()) {
                return c;
            }
        }
        return List.of();
    }

    private static List<String> visit(
            String node, Map<String, Set<String>> arrows, Map<String, Integer> state, Deque<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null) {
            List<String> onPath = new ArrayList<>(path);
            Collections.reverse(onPath);
            List<String> c = new ArrayList<>(onPath.subList(onPath.indexOf(node), onPath.size()));
            c.add(node);
            return c;
        }
        state.put(node, 1);
        path.push(node);
        for (String next : new TreeSet<>(arrows.getOrDefault(node, Set.of()))) {
            List<String> c = visit(next, arrows, state, path);
            if (!c.isEmpty()) {
                return c;
            }
        }
        path.pop();
        state.put(node, 2);
        return List.of();
    }

    /** The source with comments, string and char literals blanked (line breaks kept). */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source);
        Matcher m = Pattern.compile(
                        "/\\*.*?\\*/|//[^\n]*|\"(?:\\\\.|[^\"\\\\\n])*\"|'(?:\\\\.|[^'\\\\\n])*'", Pattern.DOTALL)
                .matcher(source);
        while (m.find()) {
            for (int i = m.start(); i < m.end(); i++) {
                if (out.charAt(i) != '\n') {
                    out.setCharAt(i, ' ');
                }
            }
        }
        return out.toString();
    }

    static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static long countJava(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).count();
        }
    }
}
