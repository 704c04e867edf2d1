package io.amocrmetl.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The persisted {@code blocked_until} (docs/api-client.md: after a 403 block no run sends a request
 * before then). One small file in the state folder, written atomically, read before every
 * request so that every process on the host honours it.
 */
public final class BlockState {
    static final String FILE = "blocked_until";
    private final Path file;

    public BlockState(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    /** The instant requests may resume, or null when not blocked. */
    public Instant blockedUntil(Instant now) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            Instant until =
                    Instant.parse(Files.readString(file, StandardCharsets.UTF_8).trim());
            return until.isAfter(now) ? until : null;
        } catch (IOException | DateTimeParseException e) {
            // An unreadable file must not unblock: assume the longest documented block.
            return now.plusSeconds(3600);
        }
    }

    public void block(Instant until) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
            Files.writeString(tmp, until.toString() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not record blocked_until in " + file, e);
        }
    }

    public Path file() {
        return file;
    }
}
