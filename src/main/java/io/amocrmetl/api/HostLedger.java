package io.amocrmetl.api;

import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request budget shared by every process on this host (docs/api-client.md, "One budget per
 * host"): amoCRM counts requests per IP, so two runs, two accounts or a notebook beside a scheduled
 * run must draw on one budget, not one each. The same rule as {@link RateLimiter}, kept in a small
 * file every process locks: a slot is held from a request's start until one window after its answer,
 * so no N + 1 requests can arrive within one window. A slot taken by a process that died holds until
 * its read timeout has passed, then frees itself.
 *
 * <p>The file holds {@link #SLOTS} wall-clock instants (epoch milliseconds) from which each slot may
 * start again; a caller with a budget of N uses the first N, so callers with different budgets
 * together never exceed the largest.
 */
final class HostLedger {
    /** amoCRM's limit: no configured budget exceeds it. */
    static final int SLOTS = 7;

    private static final Map<Path, HostLedger> OPEN = new ConcurrentHashMap<>();
    private static final long POLL_MILLIS = 20;

    private final Path file;
    private final FileChannel channel;
    /** A JVM's threads take turns: file locks are held per process, not per thread. */
    private final ReentrantLock turn = new ReentrantLock();

    private HostLedger(Path file) throws IOException {
        this.file = file;
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            shareWithEveryUser(dir, "rwxrwxrwx");
        }
        boolean created = !Files.exists(file);
        this.channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (created) {
            shareWithEveryUser(file, "rw-rw-rw-");
        }
    }

    /** The JVM's one handle on a ledger file; exit 2 naming the key when it cannot be opened. */
    static HostLedger at(Path file) {
        return OPEN.computeIfAbsent(file.toAbsolutePath().normalize(), f -> {
            try {
                return new HostLedger(f);
            } catch (IOException | RuntimeException e) {
                throw new AmoApiException(
                        ExitCode.BAD_CONFIG,
                        "amocrm.rate-limit.host-dir: cannot open the host's request ledger " + f + " (" + e
                                + "); make that folder writable for every user that runs amocrm-etl on this host, "
                                + "or set the key to one that is",
                        0);
            }
        });
    }

    /** Every user's processes on the host share the budget: the first to create the ledger opens it to all. */
    private static void shareWithEveryUser(Path p, String permissions) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        } catch (IOException | UnsupportedOperationException e) {
            // Not POSIX, or not ours: the umask's permissions stay, and a refused user is told at()'s message.
        }
    }

    /**
     * Blocks until one of the first {@code perSecond} slots is free and takes it, holding it for at
     * most {@code holdMillis} should this process die before {@link #answered}.
     */
    int acquire(int perSecond, long holdMillis) throws InterruptedException {
        int n = Math.min(SLOTS, Math.max(1, perSecond));
        while (true) {
            long now = System.currentTimeMillis();
            long soonest;
            turn.lockInterruptibly();
            try (FileLock lock = channel.lock()) {
                long[] free = read();
                int best = 0;
                for (int i = 1; i < n; i++) {
                    if (free[i] < free[best]) {
                        best = i;
                    }
                }
                if (free[best] <= now) {
                    free[best] = now + holdMillis;
                    write(free);
                    return best;
                }
                soonest = free[best];
            } catch (IOException e) {
                throw new UncheckedIOException("cannot use the host's request ledger " + file, e);
            } finally {
                turn.unlock();
            }
            // Another process's slot may free at any moment (its answer came): look again soon.
            Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, soonest - System.currentTimeMillis())));
        }
    }

    /** The request of {@code slot} has its answer (or failed): the slot frees one window from now. */
    void answered(int slot, long windowMillis) {
        turn.lock();
        try (FileLock lock = channel.lock()) {
            long[] free = read();
            free[slot] = System.currentTimeMillis() + windowMillis;
            write(free);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the host's request ledger " + file, e);
        } finally {
            turn.unlock();
        }
    }

    private long[] read() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SLOTS * Long.BYTES);
        while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
            // a short read: go on from where it stopped
        }
        long[] out = new long[SLOTS];
        b.flip();
        for (int i = 0; i < SLOTS && b.remaining() >= Long.BYTES; i++) {
            out[i] = b.getLong();
        }
        return out; // a new or short file: the missing slots are free (0)
    }

    private void write(long[] free) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SLOTS * Long.BYTES);
        for (long f : free) {
            b.putLong(f);
        }
        b.flip();
        while (b.hasRemaining()) {
            channel.write(b, b.position());
        }
    }
}
