package io.amocrmetl.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

/** A lease file on a local (or mounted) disk: created with O_EXCL, which Hadoop's local create is not. */
final class LocalLeaseFile implements LeaseFile {
    private final Path file;

    LocalLeaseFile(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return file.getFileName().toString();
    }

    @Override
    public boolean create(String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(
                    file,
                    content.getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lease " + file, e);
        }
    }

    @Override
    public Optional<String> read(String fileName) {
        try {
            return Optional.of(Files.readString(file.resolveSibling(fileName), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lease " + file, e);
        }
    }

    @Override
    public Optional<Instant> modified() {
        try {
            return Optional.of(Files.getLastModifiedTime(file).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lease " + file, e);
        }
    }

    @Override
    public void touch() {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot renew the lease " + file, e);
        }
    }

    @Override
    public boolean moveAside(String asideName) {
        try {
            Files.move(file, file.resolveSibling(asideName), StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the expired lease " + file, e);
        }
    }

    @Override
    public void moveBack(String asideName) {
        try {
            if (!Files.exists(file)) {
                Files.move(file.resolveSibling(asideName), file, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            // another job created a lease meanwhile: that one holds it now
        }
    }

    @Override
    public void delete(String fileName) {
        try {
            Files.deleteIfExists(file.resolveSibling(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + fileName + " beside " + file, e);
        }
    }
}
