package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.sandbox.data.Fidelity;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OAuth as docs/amocrm-api.md §1.2–1.3 describes it: codes once, 24 h access, rotating single-use refresh. */
class SandboxOAuthIT {
    Sandbox sandbox;
    ApiWalker api;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withLeads(30));
        sandbox.limits().enabled = false;
        api = new ApiWalker(sandbox.baseUrl(), "unused");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private ApiWalker.Response tokenJson(Map<String, String> fields) {
        String json = fields.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        return api.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/oauth2/access_token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private ApiWalker.Response tokenForm(Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return api.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/oauth2/access_token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static Map<String, String> codeGrant(String code) {
        return Map.of(
                "client_id",
                Sandbox.CLIENT_ID,
                "client_secret",
                Sandbox.CLIENT_SECRET,
                "grant_type",
                "authorization_code",
                "code",
                code,
                "redirect_uri",
                Sandbox.REDIRECT_URI);
    }

    private static Map<String, String> refreshGrant(String refresh) {
        return Map.of(
                "client_id",
                Sandbox.CLIENT_ID,
                "client_secret",
                Sandbox.CLIENT_SECRET,
                "grant_type",
                "refresh_token",
                "refresh_token",
                refresh,
                "redirect_uri",
                Sandbox.REDIRECT_URI);
    }

    private int call(String accessToken) {
        return new ApiWalker(sandbox.baseUrl(), accessToken)
                .get("/api/v4/account")
                .status();
    }

    @Test
    void codeWorksOnceAndExpiresAfter20Minutes() {
        String code = sandbox.oauth()
                .issueAuthorizationCode(sandbox.groundTruth().account().currentUserId());
        ApiWalker.Response first = tokenJson(codeGrant(code));
        assertEquals(200, first.status());
        JsonNode t = first.json();
        assertEquals("Bearer", t.get("token_type").asText());
        assertEquals(86_400, t.get("expires_in").asInt());
        assertEquals(3, t.get("access_token").asText().split("\\.").length, "a JWT-shaped access token");
        String payload = new String(
                Base64.getUrlDecoder().decode(t.get("access_token").asText().split("\\.")[1]));
        assertTrue(payload.contains("\"exp\":"), payload);
        assertEquals(200, call(t.get("access_token").asText()));

        ApiWalker.Response again = tokenJson(codeGrant(code));
        assertEquals(400, again.status(), "a code works once");
        assertEquals("application/problem+json", again.header("Content-Type"));

        String late = sandbox.oauth()
                .issueAuthorizationCode(sandbox.groundTruth().account().currentUserId());
        sandbox.clock().advance(Duration.ofMinutes(21));
        assertEquals(400, tokenJson(codeGrant(late)).status(), "a code lives 20 minutes");

        String wrongSecret = sandbox.oauth()
                .issueAuthorizationCode(sandbox.groundTruth().account().currentUserId());
        Map<String, String> bad = new java.util.HashMap<>(codeGrant(wrongSecret));
        bad.put("client_secret", "nope");
        assertEquals(401, tokenJson(bad).status());
    }

    /**
     * The grace rule (docs/amocrm-api.md §1.3): a refresh token works until its successor is used, then fails. Using
     * it again before that discards the unused successor.
     */
    @Test
    void refreshTokensRotateWithTheGraceRule() {
        JsonNode p1 = tokenJson(codeGrant(sandbox.oauth()
                        .issueAuthorizationCode(sandbox.groundTruth().account().currentUserId())))
                .json();
        String r1 = p1.get("refresh_token").asText();

        JsonNode p2 = tokenJson(refreshGrant(r1)).json();
        // p2 is "lost in transit": r1 still works (grace), and that discards p2.
        JsonNode p3 = tokenJson(refreshGrant(r1)).json();
        assertEquals(200, call(p3.get("access_token").asText()));
        assertEquals(401, call(p2.get("access_token").asText()), "the unused successor is discarded");
        assertEquals(
                401, tokenJson(refreshGrant(p2.get("refresh_token").asText())).status());
        // p3 has been used, so r1 is retired now.
        ApiWalker.Response retired = tokenJson(refreshGrant(r1));
        assertEquals(401, retired.status());
        assertEquals("application/problem+json", retired.header("Content-Type"));

        // Using the new refresh token also counts as use of the new pair.
        JsonNode p4 = tokenJson(refreshGrant(p3.get("refresh_token").asText())).json();
        JsonNode p5 = tokenJson(refreshGrant(p4.get("refresh_token").asText())).json();
        assertEquals(
                401,
                tokenJson(refreshGrant(p3.get("refresh_token").asText())).status(),
                "retired once p4's refresh token was used");
        assertEquals(200, call(p5.get("access_token").asText()));
        assertEquals(200, call(p3.get("access_token").asText()), "an old access token lives until it expires");
        assertEquals(4, sandbox.oauth().refreshCount());
    }

    @Test
    void accessTokensExpireAfter24HoursOnTheSandboxClock() {
        JsonNode p = tokenJson(codeGrant(sandbox.oauth()
                        .issueAuthorizationCode(sandbox.groundTruth().account().currentUserId())))
                .json();
        sandbox.clock().advance(Duration.ofHours(23).plusMinutes(59));
        assertEquals(200, call(p.get("access_token").asText()));
        sandbox.clock().advance(Duration.ofMinutes(2));
        ApiWalker.Response expired =
                new ApiWalker(sandbox.baseUrl(), p.get("access_token").asText()).get("/api/v4/leads");
        assertEquals(401, expired.status());
        assertEquals("application/problem+json", expired.header("Content-Type"));
        JsonNode fresh =
                tokenJson(refreshGrant(p.get("refresh_token").asText())).json();
        assertEquals(200, call(fresh.get("access_token").asText()));
    }

    @Test
    void revocationAndExpiryMidRunGive401() {
        JsonNode p = tokenJson(codeGrant(sandbox.oauth()
                        .issueAuthorizationCode(sandbox.groundTruth().account().currentUserId())))
                .json();
        sandbox.oauth().expireAccessTokens();
        assertEquals(401, call(p.get("access_token").asText()));
        JsonNode fresh =
                tokenJson(refreshGrant(p.get("refresh_token").asText())).json();
        assertEquals(200, call(fresh.get("access_token").asText()));
        sandbox.oauth().revokeAll();
        assertEquals(401, call(fresh.get("access_token").asText()));
        assertEquals(
                401,
                tokenJson(refreshGrant(fresh.get("refresh_token").asText())).status());
        assertEquals(401, call("made-up-token"));
    }

    /** docs/amocrm-api.md §9.11: the docs show JSON; some clients send a form. Each reading is a switch. */
    @Test
    void tokenBodyEncodingSwitch() {
        long admin = sandbox.groundTruth().account().currentUserId();
        sandbox.fidelity().tokenBody = Fidelity.TokenBody.JSON;
        assertEquals(
                400,
                tokenForm(codeGrant(sandbox.oauth().issueAuthorizationCode(admin)))
                        .status());
        assertEquals(
                200,
                tokenJson(codeGrant(sandbox.oauth().issueAuthorizationCode(admin)))
                        .status());
        sandbox.fidelity().tokenBody = Fidelity.TokenBody.FORM;
        assertEquals(
                400,
                tokenJson(codeGrant(sandbox.oauth().issueAuthorizationCode(admin)))
                        .status());
        assertEquals(
                200,
                tokenForm(codeGrant(sandbox.oauth().issueAuthorizationCode(admin)))
                        .status());
        sandbox.fidelity().tokenBody = Fidelity.TokenBody.BOTH;
        assertEquals(
                200,
                tokenForm(codeGrant(sandbox.oauth().issueAuthorizationCode(admin)))
                        .status());
        assertEquals(
                200,
                tokenJson(codeGrant(sandbox.oauth().issueAuthorizationCode(admin)))
                        .status());
    }

    @Test
    void usersCarryTheAdminFlag() {
        ApiWalker admin = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
        ApiWalker.Walk users = admin.walk("/api/v4/users", "users");
        assertTrue(users.items().stream().anyMatch(u -> u.at("/rights/is_admin").asBoolean()));
        assertTrue(
                users.items().stream().anyMatch(u -> !u.at("/rights/is_admin").asBoolean()));
    }
}
