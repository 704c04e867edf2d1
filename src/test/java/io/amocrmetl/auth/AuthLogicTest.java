package io.amocrmetl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.api.FieldNames;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark-free parts of connecting: the redirect, the consent URL, field names, the files beside the token store. */
class AuthLogicTest {
    @TempDir
    Path dir;

    @Test
    void theWholeRedirectAddressGivesCodeStateAndReferer() {
        Redirect r = Redirect.parse(
                "https://etl.example/cb?code=def50200abcdef0123&state=s1%2B&referer=Acme.amoCRM.ru"
                        + "&client_id=x&from_widget=1",
                null);
        assertEquals("def50200abcdef0123", r.code());
        assertEquals("s1+", r.state());
        assertEquals("acme.amocrm.ru", r.referer());
        assertEquals("acme", r.refererSubdomain());
        assertNull(r.error());
        assertFalse(r.toString().contains("def50200"), "no code in toString: " + r);
    }

    @Test
    void aBareCodeAnOptionRefererAndARefusal() {
        Redirect bare = Redirect.parse("  def50200abcdef0123 ", "https://acme.kommo.com:443/");
        assertEquals("def50200abcdef0123", bare.code());
        assertEquals("acme.kommo.com", bare.referer());
        assertNull(bare.state());
        Redirect denied = Redirect.parse("https://etl.example/cb?error=access_denied&state=s", null);
        assertEquals("access_denied", denied.error());
        assertNull(denied.code());
    }

    @Test
    void whatIsNotACodeIsRefusedWithTheReason() {
        EtlException noCode =
                assertThrows(EtlException.class, () -> Redirect.parse("https://etl.example/cb?state=s", null));
        assertEquals(ExitCode.BAD_CONFIG, noCode.exitCode());
        assertTrue(noCode.getMessage().contains("no code="), noCode.getMessage());
        EtlException cut = assertThrows(EtlException.class, () -> Redirect.parse("def502 00", null));
        assertTrue(cut.getMessage().contains("Quote it"), cut.getMessage());
        assertThrows(EtlException.class, () -> Redirect.parse(" ", null));
    }

    @Test
    void theConsentPageLivesOnAmoCrmsSharedSite() {
        assertEquals("https://www.amocrm.ru", ConsentUrl.consentSite("https://acme.amocrm.ru"));
        assertEquals("https://www.kommo.com", ConsentUrl.consentSite("https://acme.kommo.com"));
        assertEquals("https://www.amocrm.com", ConsentUrl.consentSite("https://acme.amocrm.com/"));
        assertEquals("http://127.0.0.1:8089", ConsentUrl.consentSite("http://127.0.0.1:8089/"));
        assertEquals(
                "https://www.amocrm.ru/oauth?client_id=a+b%26c&state=s1&mode=popup",
                ConsentUrl.build("https://acme.amocrm.ru", "a b&c", "s1"));
    }

    @Test
    void oauthNeedsEachKeyAndNoLongLivedToken() {
        EtlException none = assertThrows(
                EtlException.class,
                () -> ConsentUrl.oauthSettings(EtlConfig.load(
                        null,
                        Map.of(
                                "amocrm.base-url",
                                "https://acme.amocrm.ru",
                                "amocrm.auth.client-id",
                                "id",
                                "amocrm.auth.client-secret",
                                "secret"))));
        assertTrue(none.getMessage().contains("'amocrm.auth.redirect-uri'"), none.getMessage());
        EtlException lived = assertThrows(
                EtlException.class,
                () -> ConsentUrl.oauthSettings(EtlConfig.load(
                        null,
                        Map.of("amocrm.base-url", "https://acme.amocrm.ru", "amocrm.auth.long-lived-token", "t"))));
        assertTrue(lived.getMessage().contains("long-lived-token is set"), lived.getMessage());
    }

    @Test
    void aFieldResolvesByNameOrByItsRecordedIdAfterARename() {
        List<FieldNames.LeadField> fields = List.of(
                new FieldNames.LeadField(1, "Поле text"),
                new FieldNames.LeadField(27, "GA Client ID"),
                new FieldNames.LeadField(28, "ID заявки"));
        FieldNames.Choice exact = FieldNames.choose("k", "GA Client ID", null, fields);
        assertEquals(27L, exact.id());
        assertNull(exact.renamedFrom());
        List<FieldNames.LeadField> renamed = List.of(new FieldNames.LeadField(27, "GA CID"));
        FieldNames.Choice kept = FieldNames.choose("k", "GA Client ID", 27L, renamed);
        assertEquals(27L, kept.id());
        assertEquals("GA Client ID", kept.renamedFrom());
        assertEquals("GA CID", kept.current());
        FieldNames.Choice gone = FieldNames.choose("k", "GA Client ID", 99L, fields);
        assertEquals(27L, gone.id(), "a recorded id that no longer exists falls back to the name");
        assertFalse(FieldNames.choose("k", "GA Client ID", null, renamed).resolved(), "no record, no name: unresolved");
    }

    @Test
    void aMissingNameListsCloseMatchesClosestFirst() {
        List<FieldNames.LeadField> fields = List.of(
                new FieldNames.LeadField(1, "Поле text"),
                new FieldNames.LeadField(26, "GA Client"),
                new FieldNames.LeadField(27, "GA Client ID"),
                new FieldNames.LeadField(28, "ID заявки"),
                new FieldNames.LeadField(29, "Бюджет"));
        FieldNames.Choice c = FieldNames.choose("k", "ga_client id", null, fields);
        assertFalse(c.resolved());
        assertEquals(27L, c.closeMatches().get(0).id(), "case and separators do not count: " + c.closeMatches());
        assertTrue(c.closeMatches().stream().noneMatch(f -> f.id() == 29), "unrelated names are not offered");
        assertTrue(c.closeMatchesText().startsWith("close matches: \"GA Client ID\" (id 27)"), c.closeMatchesText());
        FieldNames.Choice none = FieldNames.choose("k", "Completely different", null, fields);
        assertEquals("no lead field has a similar name", none.closeMatchesText());
    }

    @Test
    void theConnectionRecordRoundTripsPrivately() throws Exception {
        ConnectionRecord r = new ConnectionRecord(
                29000042L,
                "Песочница \"amoCRM\"",
                "sandbox42",
                "http://127.0.0.1:1",
                9000001L,
                "Администратор",
                true,
                Instant.parse("2026-01-02T03:04:05Z"),
                Map.of(
                        "amocrm.custom-fields.ga-client-id",
                        new ConnectionRecord.MappedField("GA Client ID", 27L),
                        "amocrm.custom-fields.request-id",
                        new ConnectionRecord.MappedField("Nope", null)));
        r.write(dir);
        assertEquals(r, ConnectionRecord.read(dir));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(ConnectionRecord.FILE))));
        assertEquals(27L, r.fieldId("amocrm.custom-fields.ga-client-id", "GA Client ID"));
        assertNull(r.fieldId("amocrm.custom-fields.ga-client-id", "another name"), "a changed name is resolved afresh");
        assertNull(ConnectionRecord.read(dir.resolve("nowhere")));
        Files.writeString(dir.resolve(ConnectionRecord.FILE), "{broken");
        assertEquals(
                ExitCode.AUTH,
                assertThrows(EtlException.class, () -> ConnectionRecord.read(dir))
                        .exitCode());
    }

    @Test
    void theStateGuardsTheExchange() throws Exception {
        String state = OAuthState.create(dir);
        assertEquals(32, state.length());
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(OAuthState.FILE))));
        OAuthState.check(dir, state);
        OAuthState.check(dir, null);
        EtlException forged = assertThrows(EtlException.class, () -> OAuthState.check(dir, "other"));
        assertEquals(ExitCode.AUTH, forged.exitCode());
        OAuthState.clear(dir);
        OAuthState.check(dir, "other"); // nothing stored: nothing to compare
    }

    @Test
    void aJwtsExpiryIsReadWithoutShowingIt() {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        String jwt = b.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString("{\"exp\":1767225600,\"sub\":\"1\"}".getBytes(StandardCharsets.UTF_8)) + ".sig";
        assertEquals(Instant.ofEpochSecond(1767225600), Jwt.expiry(jwt));
        assertNull(Jwt.expiry("sandbox-long-lived-token"));
        assertNull(Jwt.expiry("a.%%%.c"));
    }

    @Test
    void statusTimesAreRelative() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals("2026-01-01T23:00:00Z (in 23 h)", AuthStatus.at(now.plusSeconds(23 * 3600), now));
        assertEquals("2025-12-02T00:00:00Z (30 days ago)", AuthStatus.at(now.minusSeconds(30L * 86400), now));
        assertEquals("unknown", AuthStatus.at(null, now));
    }
}
