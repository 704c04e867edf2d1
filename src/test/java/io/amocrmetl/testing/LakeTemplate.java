package io.amocrmetl.testing;

import io.amocrmetl.lake.Lake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An empty lake made once per test JVM and copied for each test that needs a new one: creating its
 * 38 Delta tables takes seconds, copying their logs a few milliseconds. A Delta table's log holds
 * relative paths, so a copy is a table in its own right.
 */
public final class LakeTemplate {
    private static Path template;

    private LakeTemplate() {}

    private static void delete(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    /** Copies an empty, current-layout lake to {@code target} (which must not exist or be empty). */
    public static synchronized void copyTo(Path target) {
        try {
            if (template == null) {
                Path dir = Files.createTempDirectory("lake-template");
                Lake.open(SparkTestSession.get(), dir.toString());
                template = dir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "lake-template-delete"));
            }
            try (var walk = Files.walk(template)) {
                for (Path p : walk.toList()) {
                    Path to = target.resolve(template.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
