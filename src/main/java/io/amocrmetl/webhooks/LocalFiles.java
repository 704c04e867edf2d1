package io.amocrmetl.webhooks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** The landing folder on a local disk: whole files written by temp file, fsync and atomic rename. */
final class LocalFiles implements LandingFiles {
    private final Path root;

    LocalFiles(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path dir(String dir) {
        return dir.isEmpty() ? root : root.resolve(dir);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        Path d = dir(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    @Override
    public byte[] read(String dir, String name) throws IOException {
        try {
            return Files.readAllBytes(dir(dir).resolve(name));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void put(String dir, String name, byte[] data) throws IOException {
        Path d = dir(dir);
        Files.createDirectories(d);
        Path tmp = d.resolve(".tmp-" + name);
        try (FileChannel c = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(true);
        }
        atomicMove(tmp, d.resolve(name));
        fsyncDir(d);
    }

    @Override
    public void move(String from, String name, String to) throws IOException {
        Path target = dir(to);
        Files.createDirectories(target);
        atomicMove(dir(from).resolve(name), target.resolve(name));
        fsyncDir(target);
        fsyncDir(dir(from));
    }

    @Override
    public LandingFiles under(String folder) {
        return new LocalFiles(root.resolve(folder));
    }

    @Override
    public String describe() {
        return "a local log at " + root;
    }

    static void atomicMove(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes a folder's entries (a new or renamed file) durable; a no-op where folders cannot be opened. */
    static void fsyncDir(Path dir) {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can fsync a folder (Windows); the file's own fsync still holds.
        }
    }
}
