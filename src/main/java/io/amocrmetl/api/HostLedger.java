package io.amocrmetl.api;

import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request budget shared by every process on this host (docs/api-client.md, "One budget per
 * host"): amoCRM counts requests per IP, so two runs, two accounts or a notebook beside a scheduled
 * run must draw on one budget, not one each. The same rule as {@link RateLimiter}, kept in a small
 * file every process locks: a slot is held from a request's start until one window after its answer,
 * so no N + 1 requests can arrive within one window. A slot taken by a process that died holds until
 * its hold has passed, then frees itself.
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

    /** A slot taken, and the instant written when it was: only that holder frees it. */
    record Held(int slot, long stamp) {}

    private final Path file;
    /** A JVM's threads take turns: file locks are held per process, not per thread. */
    private final ReentrantLock turn = new ReentrantLock();

    private FileChannel channel;

    private HostLedger(Path file) throws IOException {
        this.file = file;
        this.channel = open(file);
    }

    /** The JVM's one handle on a ledger file; exit 2 naming the key when it cannot be opened. */
    static HostLedger at(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // One handle per real file, however its folder is spelled (a symlinked host-dir).
            Path real = dir.toRealPath().resolve(file.getFileName());
            return OPEN.computeIfAbsent(real, f -> {
                try {
                    return new HostLedger(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | RuntimeException e) {
            throw new AmoApiException(
                    ExitCode.BAD_CONFIG,
                    "amocrm.rate-limit.host-dir: cannot open the host's request ledger " + file + " ("
                            + (e instanceof UncheckedIOException u ? u.getCause() : e)
                            + "); point the key at a folder every process of this host that runs amocrm-etl can write",
                    0);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a symbolic link, not the ledger");
        }
        return FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Blocks until one of the first {@code perSecond} slots is free and takes it for at most
     * {@code holdMillis}, should this process die before {@link #answered}.
     */
    Held acquire(int perSecond, long holdMillis) throws InterruptedException {
        int n = Math.min(SLOTS, Math.max(1, perSecond));
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long[] taken = {-1, 0};
            long soonest = locked(free -> {
                long now = System.currentTimeMillis();
                int best = 0;
                for (int i = 0; i < n; i++) {
                    // No genuine hold reaches past now + holdMillis: a later instant is a clock that
                    // stepped back or a damaged file, and must not stop the host for ever.
                    if (free[i] > now + holdMillis) {
                        free[i] = 0;
                    }
                    if (free[i] < free[best]) {
                        best = i;
                    }
                }
                if (free[best] <= now) {
                    free[best] = now + holdMillis;
                    taken[0] = best;
                    taken[1] = free[best];
                }
                return free[best];
            });
            if (taken[0] >= 0) {
                return new Held((int) taken[0], taken[1]);
            }
            // Another process's slot may free at any moment (its answer came): look again soon.
            Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, soonest - System.currentTimeMillis())));
        }
    }

    /** The request has its answer (or failed): its slot frees one window from now, if still ours. */
    void answered(Held held, long windowMillis) {
        locked(free -> {
            if (free[held.slot()] == held.stamp()) {
                free[held.slot()] = System.currentTimeMillis() + windowMillis;
            }
            return 0L;
        });
    }

    private interface Update {
        long apply(long[] free);
    }

    /**
     * Reads, updates and writes the slots under the JVM's turn and the file's lock. The file work
     * runs with the thread's interrupt flag cleared: an interrupt would close the channel for the
     * whole JVM (FileChannel is interruptible); the flag is restored afterwards.
     */
    private long locked(Update update) {
        boolean interrupted = Thread.interrupted();
        turn.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                try (FileLock lock = channel.lock()) {
                    long[] free = read();
                    long[] before = free.clone();
                    long out = update.apply(free);
                    if (!Arrays.equals(before, free)) {
                        write(free);
                    }
                    return out;
                } catch (ClosedChannelException e) {
                    if (attempt > 1) {
                        throw new UncheckedIOException("cannot use the host's request ledger " + file, e);
                    }
                    channel = open(file); // closed under us: open it again, once
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the host's request ledger " + file, e);
        } finally {
            turn.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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
