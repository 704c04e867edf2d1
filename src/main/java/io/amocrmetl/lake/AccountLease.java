package io.amocrmetl.lake;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per account (docs/lakehouse.md, "One writer per account"): a job that writes an
 * account's part of the lake holds {@code <lake>/_leases/account_id=<id>.json} for its whole run. The
 * file is created only if absent (an atomic create), names its holder, and is kept alive by touching
 * its modification time every quarter of the expiry; a holder killed with {@code kill -9} stops
 * blocking once the expiry has passed since its last touch. A second job exits 7 (busy) naming the
 * holder, or waits for it with {@code --wait}.
 */
public final class AccountLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccountLease.class);

    private final LeaseFile file;
    private final LeaseHolder mine;
    private final ScheduledExecutorService heartbeat;
    private final Duration waited;

    private AccountLease(LeaseFile file, LeaseHolder mine, Duration expiry, Duration waited) {
        this.file = file;
        this.mine = mine;
        this.waited = waited;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "account-lease-" + file.name());
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(250, expiry.toMillis() / 4);
        heartbeat.scheduleWithFixedDelay(this::touch, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the account's lease, waiting up to {@code wait} for a holder to finish.
     *
     * @throws EtlException exit 7 (busy) naming the holder when it is still held after {@code wait}
     */
    public static AccountLease acquire(
            Lake lake, long accountId, String job, String runId, Duration expiry, Duration wait, PrintStream out) {
        LeaseFile file = LeaseFile.of(lake, accountId);
        LeaseHolder mine =
                new LeaseHolder(runId, job, host(), ProcessHandle.current().pid(), Instant.now());
        long started = System.nanoTime();
        long deadline = started + wait.toNanos();
        boolean told = false;
        while (true) {
            Optional<LeaseHolder> holder = tryTake(file, mine, expiry);
            if (holder.isEmpty()) {
                return new AccountLease(file, mine, expiry, Duration.ofNanos(System.nanoTime() - started));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new EtlException(
                        ExitCode.BUSY,
                        "account " + accountId + " is busy: " + holder.get().describe() + " holds its lease ("
                                + file.name() + "); run again later, or wait for it with --wait MINUTES");
            }
            if (!told) {
                out.printf(
                        "waiting for %s to finish with account %d (up to %d min)%n",
                        holder.get().describe(), accountId, wait.toMinutes());
                told = true;
            }
            sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, Math.max(200, expiry.toMillis() / 8)));
        }
    }

    /**
     * How long {@link #acquire} waited for another holder: a job that took the server's time before
     * it waited moves that time on by as much (docs/lakehouse.md, "One writer per account").
     */
    public Duration waited() {
        return waited;
    }

    /** Empty when the lease is now ours; else who holds it. */
    private static Optional<LeaseHolder> tryTake(LeaseFile file, LeaseHolder mine, Duration expiry) {
        if (file.create(mine.toJson())) {
            return Optional.empty();
        }
        Optional<Instant> touched = file.modified();
        LeaseHolder holder = file.read(file.name()).map(LeaseHolder::parse).orElse(LeaseHolder.UNKNOWN);
        if (touched.isEmpty()) {
            return Optional.of(holder); // released meanwhile: the next attempt creates it
        }
        if (touched.get().plus(expiry).isAfter(Instant.now())) {
            return Optional.of(holder);
        }
        // Expired: its holder died without releasing. Move it aside, so of two jobs that saw it
        // expired only one takes it over; a file that was renewed meanwhile is put back.
        String aside = file.name() + ".expired-" + UUID.randomUUID();
        if (file.moveAside(aside)) {
            LeaseHolder moved = file.read(aside).map(LeaseHolder::parse).orElse(LeaseHolder.UNKNOWN);
            if (!moved.runId().equals(holder.runId())) {
                file.moveBack(aside);
                return Optional.of(moved);
            }
            LOG.warn("took over the expired lease of {} (last renewed {})", holder.describe(), touched.get());
            file.delete(aside);
        }
        return file.create(mine.toJson()) ? Optional.empty() : Optional.of(holder);
    }

    private void touch() {
        try {
            file.touch();
        } catch (RuntimeException e) {
            LOG.warn("could not renew the lease {}: {}", file.name(), e.toString());
        }
    }

    /** Releases the lease if it is still ours. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        Optional<LeaseHolder> now = file.read(file.name()).map(LeaseHolder::parse);
        if (now.isPresent() && now.get().runId().equals(mine.runId())) {
            file.delete(file.name());
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtlException(ExitCode.UNEXPECTED, "interrupted while waiting for the account's lease", e);
        }
    }
}
