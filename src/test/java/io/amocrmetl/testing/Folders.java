package io.amocrmetl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Folder copies for the lakes tests share ({@link LakeTemplate}, {@link DemoLake}, a harness's ingested lake). */
public final class Folders {
    private Folders() {}

    /**
     * Copies {@code from}'s tree into {@code target} (absent or empty). A Delta table's log holds
     * relative paths, so a copied lake is a lake in its own right.
     */
    public static void copyTree(Path from, Path target) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path to = target.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }
}
