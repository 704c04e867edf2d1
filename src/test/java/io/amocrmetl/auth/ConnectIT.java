package io.amocrmetl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.api.FieldNames;
import io.amocrmetl.api.TokenPair;
import io.amocrmetl.api.TokenStore;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.User;
import io.amocrmetl.state.AccountProbes;
import io.amocrmetl.testing.Canonical;
import io.amocrmetl.testing.Cli;
import io.amocrmetl.testing.ExpectedLake;
import io.amocrmetl.testing.SparkTestSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connecting an account from the command line against the sandbox's OAuth (docs/connecting.md):
 * the consent page, the exchange and its refusals, status, doctor with
 * its probes, and the first ingest.
 */
class ConnectIT {
    static final String GA = "GA Client ID";
    static final String REQUEST_ID = "ID заявки";

    @TempDir
    Path dir;

    Sandbox sandbox;
    final Map<String, String> config = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(
                SandboxSettings.defaults().withSeed(61).withLeads(60).withEventsPageMax(250));
        sandbox.limits().enabled = false;
        config.put("amocrm.source-name", "acme");
        config.put("amocrm.base-url", sandbox.baseUrl());
        config.put("amocrm.auth.client-id", Sandbox.CLIENT_ID);
        config.put("amocrm.auth.client-secret", Sandbox.CLIENT_SECRET);
        config.put("amocrm.auth.redirect-uri", Sandbox.REDIRECT_URI);
        config.put("amocrm.auth.token-store", tokens().toString());
        config.put("amocrm.rate-limit.unlimited", "true");
        config.put("amocrm.custom-fields.ga-client-id", GA);
        config.put("amocrm.custom-fields.request-id", REQUEST_ID);
        config.put("lake.path", dir.resolve("lake").toString());
        config.put("history.initial-days", "400");
        config.put("ingest.window", "400d");
        config.put("ingest.margin", "0s");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    Path tokens() {
        return dir.resolve("state/tokens.json");
    }

    Cli.Result cli(String... command) {
        return Cli.run(Cli.args(config, command));
    }

    /** `auth url`, then the browser: the consent page's redirect address, as the user copies it. */
    String approve(String extraQuery) throws IOException, InterruptedException {
        Cli.Result url = cli("auth", "url");
        assertEquals(0, url.exit(), url.toString());
        String consent = url.out()
                .lines()
                .map(String::trim)
                .filter(l -> l.startsWith("http"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                consent.startsWith(sandbox.baseUrl() + "/oauth?client_id=")
                        && consent.contains("&state=")
                        && consent.endsWith("&mode=popup"),
                consent);
        HttpResponse<Void> r = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(consent + extraQuery)).build(),
                        HttpResponse.BodyHandlers.discarding());
        assertEquals(302, r.statusCode());
        return r.headers().firstValue("Location").orElseThrow();
    }

    long gaFieldId() {
        return sandbox.groundTruth().customFields().get("leads").stream()
                .filter(f -> f.name().equals(GA))
                .mapToLong(CustomFieldDef::id)
                .findFirst()
                .orElseThrow();
    }

    /** The whole connection, then a rename: url, exchange, status, doctor --probe, a first ingest; then a renamed field warns. */
    @Test
    void aNewAccountConnectsProbesAndIngests() throws Exception {
        String address = approve("");
        assertTrue(
                address.startsWith(Sandbox.REDIRECT_URI + "?code=") && address.contains("&referer=sandbox61.amocrm.ru"),
                address);

        Cli.Result exchange = cli("auth", "exchange", "--code", address);
        assertEquals(0, exchange.exit(), exchange.toString());
        assertTrue(exchange.out().contains("administrator"), exchange.out());
        assertTrue(exchange.out().contains(GA + "\" -> field " + gaFieldId()), exchange.out());
        assertTrue(exchange.out().contains("webhooks  none"), exchange.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens())));
        TokenPair pair = new TokenStore(tokens()).read();
        assertNotNull(pair.refreshToken());
        ConnectionRecord connected = ConnectionRecord.read(tokens().getParent());
        assertEquals(sandbox.groundTruth().account().id(), connected.accountId());
        assertEquals(gaFieldId(), connected.fieldId(FieldNames.KEYS.get(0), GA));

        Cli.Result status = cli("auth", "status");
        assertEquals(0, status.exit(), status.toString());
        for (String shown : List.of(
                String.valueOf(connected.accountId()),
                "subdomain sandbox61",
                "administrator",
                "expires    access token",
                "rotated",
                "blocked    no")) {
            assertTrue(status.out().contains(shown), "status shows " + shown + ":\n" + status.out());
        }

        io.amocrmetl.testing.LakeTemplate.copyTo(
                dir.resolve("lake")); // a new lake in milliseconds, not 38 table creations
        Cli.Result doctor = cli("doctor", "--probe");
        assertEquals(0, doctor.exit(), doctor.toString());
        for (String line : List.of(
                "ok       account",
                "ok       user",
                "ok       token",
                "ok       clock",
                "ok       lake",
                "probe    filters       honoured",
                "probe    bounds        filter[...][from] is inclusive, [to] is inclusive",
                "probe    events-page   250 events a page",
                "ok       probes        recorded in _sync_state")) {
            assertTrue(doctor.out().contains(line), "doctor says " + line + ":\n" + doctor.out());
        }
        long account = connected.accountId();
        Lake lake = Lake.readOnly(SparkTestSession.get(), config.get("lake.path"));
        Row probes = lake.read(Tables.SYNC_STATE, account)
                .where("table_name = '" + AccountProbes.KEY + "'")
                .first();
        AccountProbes recorded = AccountProbes.parse(probes.getAs("probes"));
        assertEquals(250, recorded.eventsPageMax());
        assertEquals(true, recorded.filtersHonoured());

        sandbox.requests().clear();
        Cli.Result ingest = cli("ingest", "--tables", "leads");
        assertEquals(0, ingest.exit(), ingest.toString());
        assertTrue(ingest.out().contains("probes (doctor --probe"), ingest.out());
        assertTrue(
                sandbox.requests().snapshot().stream()
                        .anyMatch(r ->
                                r.path().equals("/api/v4/events") && r.target().contains("limit=250")),
                "the events page the probe found is used");
        ExpectedLake expected = new ExpectedLake(sandbox.groundTruth(), GA, REQUEST_ID);
        Canonical.assertSameRows(
                "leads",
                Tables.get("leads").key(),
                expected.table("leads"),
                Canonical.rows(lake.read("leads", account).collectAsList()),
                Set.of());
        assertEquals(
                List.of("acme"),
                lake.read(Tables.JOURNAL, account).select("source_name").distinct().collectAsList().stream()
                        .map(r -> r.getString(0))
                        .toList(),
                "the source name names the account in the journal");

        for (Cli.Result r : List.of(exchange, status, doctor, ingest)) {
            assertFalse(
                    r.out().contains(pair.accessToken())
                            || r.out().contains(pair.refreshToken())
                            || r.err().contains(pair.accessToken()),
                    "no token is printed");
        }

        long ga = gaFieldId();
        sandbox.account().renameCustomField("leads", ga, "GA CID");
        Cli.Result renamed = cli("doctor");
        assertEquals(0, renamed.exit(), "a rename is a warning: " + renamed);
        assertTrue(
                renamed.out()
                        .contains("warning  fields        amocrm.custom-fields.ga-client-id: field " + ga
                                + " was \"GA Client ID\" when the account connected and is now named \"GA CID\""),
                renamed.out());
    }

    /** With webhooks.destination set, connecting registers the deletion webhooks in the CRM. */
    @Test
    void connectingInstallsTheDeletionWebhooks() throws Exception {
        String secret = "/amocrm/hooks/5e1c2b3a49d8e7f6a5b4c3d2e1f00a1b";
        config.put("webhooks.destination", "https://etl.example.com" + secret);
        config.put("webhooks.landing-path", dir.resolve("landing").toString());
        Cli.Result exchange = cli("auth", "exchange", "--code", approve(""));
        assertEquals(0, exchange.exit(), exchange.toString());
        assertTrue(exchange.out().contains("webhooks install: installed"), exchange.out());
        assertFalse(exchange.out().contains(secret), "the secret path is not printed: " + exchange.out());
        List<io.amocrmetl.sandbox.http.Webhooks.Hook> hooks = sandbox.webhooks().hooks();
        assertEquals(1, hooks.size(), hooks.toString());
        assertEquals("https://etl.example.com" + secret, hooks.get(0).destination());
        assertTrue(
                hooks.get(0)
                        .settings()
                        .containsAll(List.of(
                                "delete_lead", "delete_contact", "delete_company", "delete_task", "delete_unsorted")),
                hooks.get(0).settings().toString());
        Cli.Result status = cli("webhooks", "status");
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().contains("enabled"), "its status is visible: " + status.out());
    }

    /** Only an admin may connect, under both readings of who may read a user: a 403, or is_admin false. */
    @Test
    void aNonAdminIsRefusedAndNoTokenFileIsLeftBehind() throws Exception {
        User member = sandbox.groundTruth().users().stream()
                .filter(u -> !u.isAdmin())
                .findFirst()
                .orElseThrow();
        for (boolean adminOnly : List.of(true, false)) {
            sandbox.fidelity().userByIdAdminOnly = adminOnly;
            Cli.Result r = cli("auth", "exchange", "--code", approve("&user_id=" + member.id()));
            assertEquals(3, r.exit(), r.toString());
            assertTrue(
                    r.err().contains("is not an administrator of account sandbox61")
                            && r.err().contains("No tokens were " + "kept"),
                    r.err());
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
            try (Stream<Path> files = Files.list(tokens().getParent())) {
                assertEquals(
                        List.of(OAuthState.FILE),
                        files.map(p -> p.getFileName().toString()).sorted().toList(),
                        "no token file, no connection record, no temp file");
            }
        }
        Cli.Result status = cli("auth", "status");
        assertEquals(3, status.exit(), status.toString());
        assertTrue(status.err().contains("not connected"), status.err());
    }

    /** An expired code, a reused one, and a made-up one each say what happened and what to do. */
    @Test
    void expiredAndReusedCodesGiveAClearError() throws Exception {
        String stale = approve("");
        sandbox.clock().advance(Duration.ofMinutes(21));
        Cli.Result expired = cli("auth", "exchange", "--code", stale);
        assertEquals(3, expired.exit(), expired.toString());
        assertTrue(
                expired.err().contains("refused the authorization code (Authorization code has expired)")
                        && expired.err().contains("20 minutes"),
                expired.err());
        assertFalse(Files.exists(tokens()));

        String address = approve("");
        assertEquals(0, cli("auth", "exchange", "--code", address).exit());
        byte[] stored = Files.readAllBytes(tokens());
        Cli.Result reused = cli("auth", "exchange", "--code", address);
        assertEquals(3, reused.exit(), reused.toString());
        assertTrue(
                reused.err().contains("(Authorization code has been revoked)")
                        && reused.err().contains("works once"),
                reused.err());
        assertTrue(
                java.util.Arrays.equals(stored, Files.readAllBytes(tokens())),
                "a failed exchange keeps the pair stored");

        Cli.Result invented = cli("auth", "exchange", "--code", "def50200" + "0".repeat(40));
        assertEquals(3, invented.exit());
        assertTrue(invented.err().contains("Authorization code is invalid"), invented.err());
        assertFalse(invented.err().contains("def50200"), "the code is not echoed");
    }

    /** A GA field name that matches nothing is reported with the close matches; the connection stands. */
    @Test
    void aMissingFieldNameIsReportedWithCloseMatches() throws Exception {
        config.put("amocrm.custom-fields.ga-client-id", "ga client-id");
        Cli.Result r = cli("auth", "exchange", "--code", approve(""));
        assertEquals(2, r.exit(), r.toString());
        String match = "close matches: \"GA Client ID\" (id " + gaFieldId() + ")";
        assertTrue(r.out().contains("\"ga client-id\" matches no lead field; " + match), r.out());
        assertTrue(
                r.err().startsWith("amocrm-etl: connected, but amocrm.custom-fields.ga-client-id")
                        && r.err().contains(match),
                r.err());
        assertTrue(Files.exists(tokens()), "the connection itself stands");
        Cli.Result doctor = cli("doctor");
        assertEquals(0, doctor.exit(), doctor.toString());
        assertTrue(
                doctor.out()
                                .contains("warning  fields        amocrm.custom-fields.ga-client-id = \"ga client-id\" "
                                        + "matches no lead field")
                        && doctor.out().contains(match),
                doctor.out());
    }

    /** The referer names another account than amocrm.base-url: the config wins, the code is not spent. A forged state is refused. */
    @Test
    void anotherAccountsCodeOrAForgedStateIsRefused() throws Exception {
        String address = approve("");
        Cli.Result other = cli("auth", "exchange", "--code", address.replace("referer=sandbox61.", "referer=other."));
        assertEquals(2, other.exit(), other.toString());
        assertTrue(
                other.err().contains("access was allowed on account other.amocrm.ru")
                        && other.err().contains("the config " + "wins")
                        && other.err().contains("No tokens were kept"),
                other.err());
        assertFalse(Files.exists(tokens()));

        Cli.Result forged =
                cli("auth", "exchange", "--code", approve("").replaceFirst("state=[0-9a-f]+", "state=0badc0de"));
        assertEquals(3, forged.exit(), forged.toString());
        assertTrue(forged.err().contains("state does not match"), forged.err());

        Cli.Result refused = cli("auth", "exchange", "--code", approve("&deny=1"));
        assertEquals(3, refused.exit());
        assertTrue(refused.err().contains("error=access_denied"), refused.err());
        assertFalse(Files.exists(tokens()));

        // One token store, one account: a second account's code is refused there.
        new ConnectionRecord(
                        29000001L,
                        "Другой",
                        "other",
                        "https://other.amocrm.ru",
                        1,
                        "u",
                        true,
                        java.time.Instant.now(),
                        Map.of())
                .write(tokens().getParent());
        Cli.Result foreign = cli("auth", "exchange", "--code", approve(""));
        assertEquals(2, foreign.exit(), foreign.toString());
        assertTrue(
                foreign.err().contains("belongs to account 29000001 (other)")
                        && foreign.err().contains("own " + "amocrm.source-name"),
                foreign.err());
        assertFalse(Files.exists(tokens()));
    }
}
