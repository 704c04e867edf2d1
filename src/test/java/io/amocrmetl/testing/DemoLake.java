package io.amocrmetl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The lake {@code jobs/amocrm-etl demo} made in the slow tier, kept for the next class that needs
 * one: {@code LauncherSlowIT} runs the README demo in a fresh clone, and {@code NotebooksSlowIT}
 * executes the notebooks against a copy of that lake instead of running the demo a second time
 * (about two minutes on 2 cores; docs/testing.md, "CI budget").
 *
 * <p>It is kept under {@code target/demo-lake/<commit>} and only when no tracked file differs from
 * that commit, so the lake was made by the code under test; otherwise there is nothing to share
 * and the notebook test runs the demo itself.
 */
public final class DemoLake {
    private static final Path ROOT = Path.of("target", "demo-lake").toAbsolutePath();

    private DemoLake() {}

    /** Keeps a copy of a demo's lake when this build has none yet. */
    public static void keep(Path lake) throws IOException {
        Optional<Path> slot = slot();
        if (slot.isEmpty() || Files.isDirectory(slot.get())) {
            return;
        }
        Files.createDirectories(ROOT);
        Path staging = Files.createTempDirectory(ROOT, "copying-");
        Folders.copyTree(lake, staging);
        // Both folders are under ROOT, so the move is a rename: the lake appears whole or not at all.
        Files.move(staging, slot.get(), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Copies this build's demo lake to {@code target} (absent); false when there is none to copy. */
    public static boolean copyTo(Path target) {
        try {
            Optional<Path> slot = slot();
            if (slot.isEmpty() || !Files.isDirectory(slot.get())) {
                return false;
            }
            Folders.copyTree(slot.get(), target);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code target/demo-lake/<HEAD>}, or empty when a tracked file differs from HEAD (or no git). */
    private static Optional<Path> slot() throws IOException {
        String head = git("rev-parse", "HEAD");
        String changed = git("status", "--porcelain", "--untracked-files=no");
        if (head == null || head.isBlank() || changed == null || !changed.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(ROOT.resolve(head.strip()));
    }

    private static String git(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
