package io.amocrmetl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sandbox and the product never see each other's code (DESIGN.md "The sandbox"): the
 * simulator must not share the client's assumptions, and the spark-submit jar must run without
 * it. Any mention counts: imports, fully qualified names, and class-name strings for reflection.
 */
class ArchitectureTest {
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
    void bothSourceRootsExistAndHoldCode() throws IOException {
        assertTrue(countJava(Path.of("src/main/java")) > 0, "no product sources found: wrong working directory?");
        assertTrue(countJava(Path.of("src/sandbox/java")) > 10, "no sandbox sources found: wrong working directory?");
    }

    /** The rules catch each way one side can name the other. */
    @Test
    void rulesCatchImportsQualifiedNamesAndReflection() {
        assertTrue(PRODUCT_TO_SANDBOX.matcher("import io.amocrmetl.sandbox.Sandbox;").find());
        assertTrue(PRODUCT_TO_SANDBOX.matcher("var s = io.amocrmetl.sandbox.Sandbox.start(x);").find());
        assertTrue(PRODUCT_TO_SANDBOX.matcher("Class.forName(\"io.amocrmetl.sandbox.http.HttpCore\")").find());
        assertTrue(PRODUCT_TO_SANDBOX.matcher("import static io.amocrmetl.sandbox.data.Hash.mix;").find());
        assertFalse(PRODUCT_TO_SANDBOX.matcher("import io.amocrmetl.api.AmoClient;").find());
        assertFalse(PRODUCT_TO_SANDBOX.matcher("import io.amocrmetl.sandboxed.Thing;").find());

        assertTrue(SANDBOX_TO_PRODUCT.matcher("import io.amocrmetl.api.RateLimiter;").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("io.amocrmetl.core.ExitCode.OK").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("import io.amocrmetl.sandboxed.Thing;").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("import io.amocrmetl.*;").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("import io.amocrmetl .*;").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("import static io.amocrmetl.*;").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("import static io.amocrmetl.api.AmoClient.*;").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("import static io.amocrmetl.core.ExitCode.OK;").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("import static io.amocrmetl.Main.run;").find());
        assertTrue(SANDBOX_TO_PRODUCT.matcher("Class.forName(\"io.amocrmetl.\" + name)").find());
        assertFalse(SANDBOX_TO_PRODUCT.matcher("import static io.amocrmetl.sandbox.data.Hash.mix;").find());
        assertFalse(SANDBOX_TO_PRODUCT.matcher("import io.amocrmetl.sandbox.model.*;").find());
        assertFalse(SANDBOX_TO_PRODUCT.matcher("package io.amocrmetl.sandbox.http;").find());
        assertFalse(SANDBOX_TO_PRODUCT.matcher("import io.amocrmetl.sandbox.model.Lead;").find());
    }

    @Test
    void scannerReportsFileAndLine(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
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
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
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

    private static long countJava(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).count();
        }
    }
}
