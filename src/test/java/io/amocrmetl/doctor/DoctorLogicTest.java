package io.amocrmetl.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.api.FieldNames;
import io.amocrmetl.api.TokenPair;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Doctor's judgements, each without a server: tokens, clock, lake, filters, customers, fields, the line format. */
class DoctorLogicTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void anOAuthPairWarnsFourteenDaysBeforeItsRefreshTokenLapses() {
        TokenPair fresh = new TokenPair("a", "r", NOW.plusSeconds(3600), NOW.minus(Duration.ofDays(10)));
        assertEquals(Check.Level.OK, TokenHealth.oauth(fresh, NOW).level());
        TokenPair old = new TokenPair("a", "r", NOW.plusSeconds(3600), NOW.minus(Duration.ofDays(80)));
        Check soon = TokenHealth.oauth(old, NOW);
        assertEquals(Check.Level.WARNING, soon.level());
        assertTrue(soon.message().contains("in 10 days"), soon.message());
        Check lapsed = TokenHealth.oauth(new TokenPair("a", "r", NOW, NOW.minus(Duration.ofDays(91))), NOW);
        assertEquals(Check.Level.ERROR, lapsed.level());
        assertEquals(ExitCode.AUTH, lapsed.code());
        assertEquals(ExitCode.AUTH, TokenHealth.oauth(null, NOW).code(), "no pair: connect first");
    }

    @Test
    void aLongLivedTokenIsJudgedByItsExpiry() {
        assertEquals(Check.Level.OK, TokenHealth.longLived(null, NOW).level());
        assertEquals(
                Check.Level.OK,
                TokenHealth.longLived(NOW.plus(Duration.ofDays(200)), NOW).level());
        assertEquals(
                Check.Level.WARNING,
                TokenHealth.longLived(NOW.plus(Duration.ofDays(13)), NOW).level());
        assertEquals(
                Check.Level.ERROR,
                TokenHealth.longLived(NOW.minusSeconds(1), NOW).level());
    }

    @Test
    void theClockOffsetWarnsPastAMinuteAndFailsPastTen() {
        assertEquals(Check.Level.OK, ClockOffset.judge(NOW, NOW.plusSeconds(2)).level());
        Check behind = ClockOffset.judge(NOW, NOW.minusSeconds(300));
        assertEquals(Check.Level.WARNING, behind.level());
        assertTrue(behind.message().contains("300 s behind"), behind.message());
        assertEquals(
                Check.Level.ERROR, ClockOffset.judge(NOW, NOW.plusSeconds(601)).level());
        assertEquals(Check.Level.WARNING, ClockOffset.judge(null, NOW).level());
    }

    @Test
    void aLakeFolderIsWritableOrSaysWhyNot() throws Exception {
        assertEquals(Check.Level.OK, LakeWritable.check(dir.toString()).level());
        Check later = LakeWritable.check(dir.resolve("a/b/lake").toString());
        assertEquals(Check.Level.OK, later.level());
        assertTrue(later.message().contains("does not exist yet"), later.message());
        assertEquals(Check.Level.OK, LakeWritable.check("file://" + dir).level());
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
        try {
            if (!Files.isWritable(locked)) { // root writes anywhere: nothing to test then
                Check refused = LakeWritable.check(locked.resolve("lake").toString());
                assertEquals(Check.Level.ERROR, refused.level());
                assertEquals(ExitCode.BAD_CONFIG, refused.code());
            }
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertEquals(
                Check.Level.ERROR,
                LakeWritable.check(file.resolve("lake").toString()).level());
    }

    @Test
    void filtersOffWarnAndCustomersOffTheirPlanFail() {
        assertEquals(Check.Level.OK, Doctor.apiFilters(true).level());
        assertEquals(Check.Level.WARNING, Doctor.apiFilters(false).level());
        assertEquals(Check.Level.OK, Doctor.apiFilters(null).level());
        EtlConfig on = EtlConfig.load(null, Map.of("tables.customers.enabled", "true"));
        Check c = Doctor.customers(on, "unavailable");
        assertEquals(ExitCode.BAD_CONFIG, c.code());
        assertTrue(c.fix().contains("tables.customers.enabled = false"), c.fix());
        assertEquals(Check.Level.OK, Doctor.customers(on, "dynamic").level());
        assertEquals(
                Check.Level.OK,
                Doctor.customers(EtlConfig.load(null, Map.of()), "disabled").level());
    }

    @Test
    void fieldMappingsWarnOnARenameAndOnAMissingName() {
        List<FieldNames.LeadField> now = List.of(new FieldNames.LeadField(27, "GA CID"));
        Check renamed =
                FieldCheck.judge(FieldNames.choose("amocrm.custom-fields.ga-client-id", "GA Client ID", 27L, now));
        assertEquals(Check.Level.WARNING, renamed.level());
        assertTrue(renamed.message().contains("now named \"GA CID\""), renamed.message());
        assertTrue(renamed.fix().contains("amocrm.custom-fields.ga-client-id = \"GA CID\""), renamed.fix());
        Check missing = FieldCheck.judge(FieldNames.choose("amocrm.custom-fields.ga-client-id", "GA CIDD", null, now));
        assertEquals(Check.Level.WARNING, missing.level());
        assertTrue(missing.message().contains("close matches: \"GA CID\" (id 27)"), missing.message());
        assertEquals(
                Check.Level.OK,
                FieldCheck.judge(FieldNames.choose("k", "GA CID", null, now)).level());
    }

    @Test
    void aLineHasLevelNameMessageAndFix() {
        assertEquals(
                "  warning  clock         off. Fix: sync",
                Check.warning("clock", "off", "sync").line());
        assertEquals("  ok       lake          fine", Check.ok("lake", "fine").line());
    }

    @Test
    void theWebhookDestinationIsShownWithoutItsSecretPath() {
        assertEquals("https://etl.example.com/…", WebhookState.shown("https://etl.example.com/amocrm/hooks/7f3c9a"));
        assertEquals("http://127.0.0.1:8091/…", WebhookState.shown("http://127.0.0.1:8091/hooks/secret-secret"));
    }
}
