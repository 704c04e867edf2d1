package io.amocrmetl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.core.ExitCode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's ledger file (docs/api-client.md, "One budget per host"), read back byte by byte. */
class HostLedgerTest {
    @TempDir
    Path dir;

    @Test
    void aBudgetOfNUsesTheFirstNSlotsHeldUntilAWindowAfterTheAnswer() throws Exception {
        Path file = dir.resolve("host/rate-host.ledger");
        HostLedger ledger = HostLedger.at(file);
        long before = System.currentTimeMillis();
        HostLedger.Held first = ledger.acquire(2, 60_000);
        HostLedger.Held second = ledger.acquire(2, 60_000);
        assertEquals(0, first.slot());
        assertEquals(1, second.slot());
        long[] held = slots(file);
        assertTrue(held[0] >= before + 60_000 && held[1] >= before + 60_000, "held while in flight");
        for (int i = 2; i < HostLedger.SLOTS; i++) {
            assertEquals(0, held[i], "a budget of 2 leaves slot " + i + " alone");
        }
        // A caller with a larger budget takes the slots the smaller one leaves.
        assertEquals(2, ledger.acquire(7, 60_000).slot());

        long answered = System.currentTimeMillis();
        ledger.answered(first, 1_050);
        long freeFrom = slots(file)[0];
        assertTrue(
                freeFrom >= answered + 1_050 && freeFrom <= System.currentTimeMillis() + 1_050,
                "free one window after the answer: " + (freeFrom - answered));
        assertEquals(ledger, HostLedger.at(dir.resolve("host/../host/rate-host.ledger")), "one handle per file");
    }

    /** A holder whose hold expired and was taken over frees nothing of the new holder's. */
    @Test
    void aStaleHolderDoesNotFreeTheSlotAnotherHolderTookOver() throws Exception {
        Path file = dir.resolve("rate-host.ledger");
        HostLedger ledger = HostLedger.at(file);
        HostLedger.Held stale = ledger.acquire(1, 0); // a hold of 0 ms: expired at once
        HostLedger.Held current = ledger.acquire(1, 60_000);
        assertEquals(stale.slot(), current.slot());
        ledger.answered(stale, 1_050);
        assertEquals(current.stamp(), slots(file)[0], "still held by the current holder");
    }

    /** An instant further ahead than any hold (a clock stepped back, a damaged file) does not stop the host. */
    @Test
    void aSlotFurtherAheadThanAnyHoldCountsAsFree() throws Exception {
        Path file = dir.resolve("rate-host.ledger");
        ByteBuffer b = ByteBuffer.allocate(HostLedger.SLOTS * Long.BYTES);
        for (int i = 0; i < HostLedger.SLOTS; i++) {
            b.putLong(Long.MAX_VALUE);
        }
        Files.write(file, b.array());
        assertEquals(0, HostLedger.at(file).acquire(1, 60_000).slot());
    }

    /** An interrupted thread would close the JVM's channel on the file; the ledger keeps working. */
    @Test
    void anInterruptedCallerDoesNotBreakTheLedgerForTheJvm() throws Exception {
        HostLedger ledger = HostLedger.at(dir.resolve("rate-host.ledger"));
        HostLedger.Held held = ledger.acquire(7, 60_000);
        Thread.currentThread().interrupt();
        try {
            ledger.answered(held, 1_050);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, ledger.acquire(7, 60_000).slot(), "the ledger still works");
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> ledger.acquire(7, 60_000));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aLedgerThatCannotBeOpenedNamesTheKey() throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        AmoApiException e =
                assertThrows(AmoApiException.class, () -> HostLedger.at(notADir.resolve("rate-host.ledger")));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().startsWith("amocrm.rate-limit.host-dir: "), e.getMessage());
        Path target = Files.writeString(dir.resolve("precious"), "do not overwrite");
        Files.createDirectories(dir.resolve("planted"));
        Files.createSymbolicLink(dir.resolve("planted/rate-host.ledger"), target);
        assertThrows(AmoApiException.class, () -> HostLedger.at(dir.resolve("planted/rate-host.ledger")));
        assertEquals("do not overwrite", Files.readString(target), "never written through a link");
    }

    @Test
    void theAccountScopeKeepsOneLedgerPerAccountAndTheHostScopeOne() {
        RateScope host = new RateScope(dir, true);
        RateScope account = new RateScope(dir, false);
        assertEquals(host.ledger("https://a.amocrm.ru"), host.ledger("https://b.amocrm.ru"));
        assertTrue(!account.ledger("https://a.amocrm.ru").equals(account.ledger("https://b.amocrm.ru")));
        assertEquals(dir, host.sharedStateDir());
        assertEquals(null, account.sharedStateDir());
    }

    private static long[] slots(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        long[] out = new long[HostLedger.SLOTS];
        for (int i = 0; i < out.length && b.remaining() >= Long.BYTES; i++) {
            out[i] = b.getLong();
        }
        return out;
    }
}
