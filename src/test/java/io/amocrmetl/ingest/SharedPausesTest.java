package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.api.BlockState;
import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.api.RateScope;
import io.amocrmetl.lake.Lake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A block or pause one host met reaches the next run of another host through the lake (docs/api-client.md). */
class SharedPausesTest {
    static final String URL = "https://example.amocrm.ru";

    @TempDir
    Path dir;

    private ClientSettings host(String name, boolean hostScope) {
        ClientSettings s = ClientSettings.of(URL, 6, dir.resolve(name + "/state"));
        return new ClientSettings(
                s.baseUrl(),
                s.requestsPerSecond(),
                s.unlimited(),
                s.rateMarginMillis(),
                s.stateDir(),
                s.connectTimeout(),
                s.readTimeout(),
                s.retry(),
                new RateScope(dir.resolve(name + "/host"), hostScope));
    }

    private Lake lake() {
        return Lake.readOnly(null, dir.resolve("lake").toString());
    }

    @Test
    void aBlockOneHostMetStopsTheNextRunOfAnother() {
        Instant until = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        ClientSettings a = host("a", true);
        BlockState.of(a).block(until);
        SharedPauses.of(lake(), a).push();
        assertTrue(Files.exists(dir.resolve("lake/_leases/amocrm_blocked_until")));

        ClientSettings b = host("b", true);
        assertNull(BlockState.of(b).blockedUntil(Instant.now()));
        SharedPauses.of(lake(), b).pull();
        assertEquals(until, BlockState.of(b).blockedUntil(Instant.now()));
        assertNull(BlockState.of(b).coolDownUntil(Instant.now()));
    }

    @Test
    void aPauseTravelsTooAndALaterRecordIsNeverPutBack() {
        Instant later = Instant.now().plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
        Instant sooner = later.minusSeconds(120);
        ClientSettings a = host("a", true);
        BlockState.of(a).coolDown(later);
        SharedPauses.of(lake(), a).push();
        ClientSettings b = host("b", true);
        BlockState.of(b).coolDown(sooner);
        SharedPauses.of(lake(), b).push(); // sooner than the lake's: the lake keeps the later
        SharedPauses.of(lake(), b).pull();
        assertEquals(later, BlockState.of(b).coolDownUntil(Instant.now()));
    }

    @Test
    void anOverRecordAndAnotherAccountsAddressWithScopeAccountChangeNothing() {
        ClientSettings a = host("a", false);
        BlockState.of(a).block(Instant.now().minusSeconds(1)); // over already
        SharedPauses.of(lake(), a).push();
        assertFalse(Files.exists(dir.resolve("lake/_leases")) && hasRecords());

        BlockState.of(a).block(Instant.now().plus(Duration.ofHours(1)));
        SharedPauses.of(lake(), a).push();
        assertTrue(Files.exists(dir.resolve("lake/_leases/amocrm_blocked_until.example.amocrm.ru")));
        // Scope host reads the lake-wide record only: the account's own address record is not it.
        ClientSettings b = host("b", true);
        SharedPauses.of(lake(), b).pull();
        assertNull(BlockState.of(b).blockedUntil(Instant.now()));
    }

    private boolean hasRecords() {
        try (var files = Files.list(dir.resolve("lake/_leases"))) {
            return files.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
