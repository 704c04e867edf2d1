package io.amocrmetl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration: defaults, validation with messages that name the key, secrets kept out of toString. */
class EtlConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedOnes() {
        EtlConfig c = EtlConfig.load(null, Map.of());
        assertEquals(6, c.amocrm().requestsPerSecond());
        assertEquals("./lakehouse", c.lakePath());
        assertEquals(2, c.history().initialDays());
        assertEquals(Duration.ofMinutes(10), c.ingest().overlap());
        assertEquals("soft", c.deletesMode());
        assertTrue(c.table("leads").enabled());
        for (String off :
                List.of("notes", "events", "catalogs", "catalog_elements", "customers", "customer_transactions")) {
            assertFalse(c.table(off).enabled(), off + " is off by default (docs/configuration.md)");
        }
        assertEquals(List.of("lead_status_changed"), c.table("events").types());
        assertEquals(Duration.ofSeconds(60), c.webhooks().rotateAfter());
        assertTrue(c.amocrm().tokenStore().toString().endsWith(".amocrm-etl/amocrm/tokens.json"));
    }

    /** Each bad or unknown key fails with one line that names it, exit code 2. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "amocrm.rate-limit.requests-per-second | 9 | amocrm.rate-limit.requests-per-second",
                "amocrm.rate-limit.requests-per-second | fast | amocrm.rate-limit.requests-per-second",
                "amocrm.base-url | http://example.amocrm.ru | amocrm.base-url",
                "amocrm.base-url | not a url | amocrm.base-url",
                "amocrm.rate-limit.unlimited | true | amocrm.rate-limit.unlimited",
                "amocrm.source-name | my source! | amocrm.source-name",
                "history.initial-days | 0 | history.initial-days",
                "history.initial-days | 5000 | history.initial-days",
                "deletes.mode | soft-ish | deletes.mode",
                "ingest.overlap | ten minutes | ingest.overlap",
                "tables.notes.filter | note_type IN ( | tables.notes.filter",
                "tables.notes.enabled | maybe | tables.notes.enabled",
                "tables.deals.enabled | true | tables.deals.enabled",
                "amocrm.ratelimit.requests-per-second | 5 | amocrm.ratelimit.requests-per-second",
                "webhooks.listen | localhost | webhooks.listen",
                "webhooks.destination | https://etl.example/h | webhooks.destination",
                "webhooks.rotate-after | -1s | webhooks.rotate-after",
                "webhooks.rotate-after | soon | webhooks.rotate-after",
                "retention.tables.leads.days | -3 | retention.tables.leads.days",
                "retention.tables.users.days | 30 | retention.tables.users.days",
                "retention.tables._journal.days | 30 | retention.tables._journal.days",
                "retention.tables.leads.column | name | retention.tables.leads.days",
                "retention.vacuum-hours | 24 | retention.vacuum-hours",
            })
    void aBadKeyFailsNamingIt(String key, String value, String named) {
        EtlException e = assertThrows(EtlException.class, () -> EtlConfig.load(null, Map.of(key, value)));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("'" + named + "'"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    @Test
    void aRetentionColumnMustBeATimestampOfTheTable() {
        EtlException e = assertThrows(
                EtlException.class,
                () -> EtlConfig.load(
                        null, Map.of("retention.tables.leads.days", "30", "retention.tables.leads.column", "name")));
        assertTrue(
                e.getMessage().contains("'retention.tables.leads.column'")
                        && e.getMessage().contains("not a timestamp"),
                e.getMessage());
    }

    @Test
    void anUnknownKeySuggestsTheNearestOne() {
        EtlException e = assertThrows(EtlException.class, () -> EtlConfig.load(null, Map.of("lake.pth", "/x")));
        assertTrue(e.getMessage().contains("did you mean 'lake.path'"), e.getMessage());
    }

    @Test
    void aFileKeyIsNamedWithItsFileAndLine() throws Exception {
        Path f = dir.resolve("my.conf");
        Files.writeString(
                f, "amocrm {\n  base-url = \"https://x.amocrm.ru\"\n  rate-limit.requests-per-second = 12\n}\n");
        EtlException e = assertThrows(EtlException.class, () -> EtlConfig.load(f, Map.of()));
        assertTrue(
                e.getMessage().contains("amocrm.rate-limit.requests-per-second")
                        && e.getMessage().contains("my.conf: 3"),
                e.getMessage());
        EtlException missing =
                assertThrows(EtlException.class, () -> EtlConfig.load(dir.resolve("nope.conf"), Map.of()));
        assertTrue(missing.getMessage().contains("nope.conf"));
    }

    @Test
    void missingSecretsAreRefusedWhenNeededAndNeverShown() {
        EtlConfig noAuth = EtlConfig.load(null, Map.of("amocrm.base-url", "https://x.amocrm.ru"));
        EtlException e = assertThrows(EtlException.class, () -> noAuth.amocrm().requireAuth());
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("amocrm.auth.long-lived-token"));
        EtlConfig half = null;
        EtlException oneHalf =
                assertThrows(EtlException.class, () -> EtlConfig.load(null, Map.of("amocrm.auth.client-id", "abc")));
        assertTrue(oneHalf.getMessage().contains("amocrm.auth.client-secret"), oneHalf.getMessage());
        assertNull(half);
        EtlConfig withToken = EtlConfig.load(
                null,
                Map.of(
                        "amocrm.base-url",
                        "https://x.amocrm.ru",
                        "amocrm.auth.long-lived-token",
                        "eyJsecret.token.value",
                        "amocrm.auth.client-secret",
                        "s3cr3t",
                        "amocrm.auth.client-id",
                        "id"));
        assertFalse(withToken.amocrm().toString().contains("eyJsecret")
                || withToken.amocrm().toString().contains("s3cr3t"));
    }

    @Test
    void overridesTakeHoconListsAndRetentionRules() {
        EtlConfig c = EtlConfig.load(
                null,
                Map.of(
                        "tables.events.types",
                        "[lead_added, all]",
                        "retention.tables.events.days",
                        "90",
                        "retention.tables.leads.days",
                        "365"));
        assertTrue(c.table("events").allTypes());
        assertEquals(90, c.retention().rules().get("events").days());
        assertEquals("created_at", c.retention().rules().get("events").column());
        assertEquals("updated_at", c.retention().rules().get("leads").column());
    }
}
