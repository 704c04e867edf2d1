package io.amocrmetl.lake;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The leases of several accounts, for a job that writes every account's part of the lake at once
 * (marts). They are taken in ascending account order, so two such jobs waiting for each other never
 * each hold what the other needs; a refusal releases those already taken (docs/lakehouse.md, "One
 * writer per account").
 */
public final class AccountLeases implements AutoCloseable {
    private final List<AccountLease> held;

    private AccountLeases(List<AccountLease> held) {
        this.held = held;
    }

    /** Takes every account's lease, waiting up to {@code wait} in all; exit 7 (busy) names the first holder. */
    public static AccountLeases acquire(
            Lake lake,
            Collection<Long> accounts,
            String job,
            String runId,
            Duration expiry,
            Duration wait,
            PrintStream out) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<AccountLease> held = new ArrayList<>();
        try {
            for (long account : new TreeSet<>(accounts)) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                held.add(AccountLease.acquire(lake, account, job, runId, expiry, left, out));
            }
        } catch (RuntimeException e) {
            closeAll(held, e);
            throw e;
        }
        return new AccountLeases(held);
    }

    /** Releases every lease still ours. */
    @Override
    public void close() {
        RuntimeException failed = closeAll(held, null);
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Releases every lease even when one release fails. Failures are added to {@code into} when given
     * (the failure already on its way); else the first is returned, the others suppressed in it.
     */
    private static RuntimeException closeAll(List<AccountLease> leases, RuntimeException into) {
        RuntimeException first = into;
        for (AccountLease lease : leases) {
            try {
                lease.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        return into == null ? first : null;
    }
}
