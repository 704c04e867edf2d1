package io.amocrmetl.testing;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * An empty, current-layout lake made once per build and copied for each test that needs a new one:
 * creating its 38 Delta tables took 15 s in a fresh test JVM on 2 cores, copying their logs a few
 * milliseconds.
 * A Delta table's log holds relative paths, so a copy is a table in its own right.
 *
 * <p>The template lives under {@code target/lake-template/}, named by a hash of the lake's tables
 * and of the class that creates them, so every test JVM of both test tiers (failsafe's forks, the
 * slow tier's JVM per class) shares one, and a change to the layout makes a new one. The first JVM
 * to need it builds it under a file lock; the others wait for it (docs/testing.md, "CI budget").
 */
public final class LakeTemplate {
    private static final Path ROOT = Path.of("target", "lake-template").toAbsolutePath();
    private static Path template;

    private LakeTemplate() {}

    /** Copies an empty, current-layout lake to {@code target} (which must not exist or be empty). */
    public static synchronized void copyTo(Path target) {
        try {
            Folders.copyTree(template(), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path template() throws IOException {
        if (template != null) {
            return template;
        }
        Files.createDirectories(ROOT);
        Path done = ROOT.resolve(layoutHash());
        // One builder across JVMs: a JVM that finds the lock held waits here until the template is made.
        try (FileChannel lock =
                        FileChannel.open(ROOT.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                var held = lock.lock()) {
            if (!Files.isDirectory(done)) {
                Path building = Files.createTempDirectory(ROOT, "building-");
                try {
                    // Both folders are under ROOT, so the move is a rename: other JVMs see all or nothing.
                    Lake.open(SparkTestSession.get(), building.toString());
                    Files.move(building, done, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    deleteQuietly(building);
                }
            }
        }
        template = done;
        return done;
    }

    /** The lake's tables as the catalog declares them, and the bytes of the class that creates them. */
    private static String layoutHash() throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("layout " + Tables.LAYOUT_VERSION + "\n" + Tables.all()).getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Lake.class.getResourceAsStream("Lake.class")) {
                sha.update(in.readAllBytes());
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes a template that failed half-way (after the move, nothing is left to remove). */
    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a folder left behind under target/ is harmless
        }
    }
}
