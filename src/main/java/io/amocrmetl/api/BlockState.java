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
 * before then) and {@code cool_down_until} (after a 429, no run sends before its wait is over: a fresh
 * process, such as Airflow's retry, must not ask again at once). Small files in the state folder,
 * written atomically, read before every request so that every process on the host honours them.
 */
public final class BlockState {
    static final String FILE = "blocked_until";
    static final String COOL_DOWN_FILE = "cool_down_until";
    private final Path file;
    private final Path coolDown;

    public BlockState(Path stateDir) {
        this.file = stateDir.resolve(FILE);
        this.coolDown = stateDir.resolve(COOL_DOWN_FILE);
    }

    /** The end of the latest 429's wait, or null when it is over. */
    public Instant coolDownUntil(Instant now) {
        if (!Files.exists(coolDown)) {
            return null;
        }
        try {
            Instant until = Instant.parse(
                    Files.readString(coolDown, StandardCharsets.UTF_8).trim());
            return until.isAfter(now) ? until : null;
        } catch (IOException | DateTimeParseException e) {
            // Being written by another process, or damaged: amoCRM's longest documented 429 wait.
            return now.plusSeconds(RetryPolicy.MAX_RETRY_AFTER.toSeconds());
        }
    }

    /** Records a 429's wait, unless one that ends later is recorded already. */
    public void coolDown(Instant until) {
        Instant recorded = coolDownUntil(Instant.EPOCH);
        if (recorded == null || until.isAfter(recorded)) {
            write(coolDown, until);
        }
    }

    public Path coolDownFile() {
        return coolDown;
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
        write(file, until);
    }

    private static void write(Path target, Instant until) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(
                    target.getParent(), target.getFileName().toString(), ".tmp");
            Files.writeString(tmp, until.toString() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not record " + target.getFileName() + " in " + target, e);
        }
    }

    public Path file() {
        return file;
    }
}
