package io.amocrmetl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The OAuth token file (docs/configuration.md, {@code amocrm.auth.token-store}). amoCRM's refresh tokens work
 * once and rotate (docs/amocrm-api.md §1.3), so the new pair must be on disk before its access token is
 * used: it is written to a temp file with mode 0600, forced, and renamed over the old one. A lock
 * file lets one process at a time refresh; within a JVM a lock does the same for threads
 * (FileLock is per process).
 */
public final class TokenStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private final Path file;

    public TokenStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /** The pair on disk, or null when there is none yet. */
    public TokenPair read() {
        try {
            JsonNode n = MAPPER.readTree(Files.readAllBytes(file));
            return new TokenPair(
                    n.path("access_token").asText(null),
                    n.path("refresh_token").asText(null),
                    Instant.ofEpochSecond(n.path("expires_at").asLong()),
                    Instant.ofEpochSecond(n.path("rotated_at").asLong()));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new AmoApiException(
                    ExitCode.AUTH,
                    "the token store " + file + " is unreadable ("
                            + e.getClass().getSimpleName() + "); run `auth exchange` again",
                    0,
                    e);
        }
    }

    /** Writes the pair atomically with mode 0600. */
    public void write(TokenPair pair) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(
                    file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            ObjectNode n = MAPPER.createObjectNode();
            n.put("token_type", "Bearer");
            n.put("access_token", pair.accessToken());
            n.put("refresh_token", pair.refreshToken());
            n.put("expires_at", pair.expiresAt().getEpochSecond());
            n.put("rotated_at", pair.rotatedAt().getEpochSecond());
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(MAPPER.writeValueAsBytes(n)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the token store " + file, e);
        }
    }

    /** Runs {@code body} holding the refresh lock: the JVM's, then the host's (a lock file). */
    public <T> T locked(Supplier<T> body) {
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(file, k -> new ReentrantLock());
        jvm.lock();
        try {
            Files.createDirectories(file.getParent());
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                return body.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock the token store " + file, e);
        } finally {
            jvm.unlock();
        }
    }
}
