package io.amocrmetl.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The persisted {@code blocked_until} (docs/api-client.md: after a 403 block no run sends a request
 * before then) and {@code cool_down_until} (after a 429, no run sends before its wait is over: a fresh
 * process, such as Airflow's retry, must not ask again at once). Small files in the account's state
 * folder, and with the host scope also in the host's folder, so that every account on the host stops
 * (amoCRM counts per IP). Written atomically, read before every request, so every process honours them.
 */
public final class BlockState {
    static final String FILE = "blocked_until";
    static final String COOL_DOWN_FILE = "cool_down_until";
    /** The account's folder first: messages name its file. */
    private final List<Path> dirs = new ArrayList<>();

    public BlockState(Path stateDir) {
        this(stateDir, null);
    }

    /** @param sharedDir the host's folder (scope host), or null */
    public BlockState(Path stateDir, Path sharedDir) {
        dirs.add(stateDir);
        if (sharedDir != null && !sharedDir.toAbsolutePath().equals(stateDir.toAbsolutePath())) {
            dirs.add(sharedDir);
        }
    }

    /** The block and pause a client with these settings honours. */
    public static BlockState of(ClientSettings settings) {
        return new BlockState(settings.stateDir(), settings.rateScope().sharedStateDir());
    }

    /** The instant requests may resume, or null when not blocked. */
    public Instant blockedUntil(Instant now) {
        // An unreadable file must not unblock: assume the longest documented block from its writing.
        return latest(FILE, now, Duration.ofHours(1));
    }

    public void block(Instant until) {
        dirs.forEach(d -> write(d.resolve(FILE), until));
    }

    /** The end of the latest 429's wait, or null when it is over. */
    public Instant coolDownUntil(Instant now) {
        // Damaged: amoCRM's longest documented 429 wait from its writing.
        return latest(COOL_DOWN_FILE, now, RetryPolicy.MAX_RETRY_AFTER);
    }

    /** Records a 429's wait, unless one that ends later is recorded already. */
    public void coolDown(Instant until) {
        for (Path d : dirs) {
            Instant recorded = read(d.resolve(COOL_DOWN_FILE), Instant.EPOCH, Duration.ZERO);
            if (recorded == null || until.isAfter(recorded)) {
                write(d.resolve(COOL_DOWN_FILE), until);
            }
        }
    }

    /** The file that holds the block (the account's). */
    public Path file() {
        return dirs.get(0).resolve(FILE);
    }

    public Path coolDownFile() {
        return dirs.get(0).resolve(COOL_DOWN_FILE);
    }

    private Instant latest(String name, Instant now, Duration unreadable) {
        Instant out = null;
        for (Path d : dirs) {
            Instant until = read(d.resolve(name), now, unreadable);
            out = until != null && (out == null || until.isAfter(out)) ? until : out;
        }
        return out;
    }

    /**
     * The recorded instant if after {@code now}, else null. A file that cannot be read counts as
     * {@code unreadable} from when it was written, so a damaged file stops requests for a bounded time.
     */
    private static Instant read(Path file, Instant now, Duration unreadable) {
        if (!Files.exists(file)) {
            return null;
        }
        Instant until;
        try {
            until = Instant.parse(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException | DateTimeParseException e) {
            try {
                until = Files.getLastModifiedTime(file).toInstant().plus(unreadable);
            } catch (IOException gone) {
                return null;
            }
        }
        return until.isAfter(now) ? until : null;
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
}
