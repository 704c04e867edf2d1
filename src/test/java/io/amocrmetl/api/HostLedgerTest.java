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
        assertEquals(0, ledger.acquire(2, 60_000));
        assertEquals(1, ledger.acquire(2, 60_000));
        long[] held = slots(file);
        assertTrue(held[0] >= before + 60_000 && held[1] >= before + 60_000, "held while in flight");
        for (int i = 2; i < HostLedger.SLOTS; i++) {
            assertEquals(0, held[i], "a budget of 2 leaves slot " + i + " alone");
        }
        // A caller with a larger budget takes the slots the smaller one leaves.
        assertEquals(2, ledger.acquire(7, 60_000));

        long answered = System.currentTimeMillis();
        ledger.answered(0, 1_050);
        long freeFrom = slots(file)[0];
        assertTrue(
                freeFrom >= answered + 1_050 && freeFrom <= System.currentTimeMillis() + 1_050,
                "free one window after the answer: " + (freeFrom - answered));
        assertEquals(ledger, HostLedger.at(dir.resolve("host/../host/rate-host.ledger")), "one handle per file");
    }

    @Test
    void aLedgerThatCannotBeOpenedNamesTheKey() throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        AmoApiException e =
                assertThrows(AmoApiException.class, () -> HostLedger.at(notADir.resolve("rate-host.ledger")));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().startsWith("amocrm.rate-limit.host-dir: "), e.getMessage());
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
