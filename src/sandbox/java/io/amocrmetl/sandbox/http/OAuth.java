package io.amocrmetl.sandbox.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.Fidelity;
import io.amocrmetl.sandbox.data.SandboxClock;
import io.amocrmetl.sandbox.model.User;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * OAuth 2.0 as amoCRM runs it (docs/amocrm-api.md §1.2–1.4): single-use authorization codes that live 20
 * minutes; JWT-shaped access tokens that live 24 h on the sandbox clock; refresh tokens that live
 * 3 months, work once, and rotate. The grace rule (docs/amocrm-api.md §1.3): the refresh token a refresh replaced
 * keeps working until the new pair is first used (its access token in a call, or its refresh
 * token in a refresh); using it again discards the unused successor. Long-lived tokens (docs/amocrm-api.md §1.4)
 * never refresh.
 */
public final class OAuth {
    static final long CODE_TTL = 20 * 60;
    static final long ACCESS_TTL = 86_400;
    static final long REFRESH_TTL = 90L * 86_400;

    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper mapper = new ObjectMapper();
    private final AccountData account;
    private final SandboxClock clock;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final Map<String, Code> codes = new HashMap<>();
    private final Map<String, Access> access = new HashMap<>();
    private final Map<String, Refresh> refresh = new HashMap<>();
    private final Map<String, Long> longLived = new HashMap<>();
    private long refreshes;

    private record Code(long userId, long expiresAt, boolean used) {}

    private record Access(long userId, long expiresAt, String pair, boolean revoked) {}

    /** state: ACTIVE, RETIRED (successor used), or REVOKED. */
    private record Refresh(long userId, long expiresAt, String pair, String parent, String successor, String state) {
        Refresh with(String newSuccessor, String newState) {
            return new Refresh(userId, expiresAt, pair, parent, newSuccessor, newState);
        }
    }

    public OAuth(AccountData account, SandboxClock clock, String clientId, String clientSecret, String redirectUri) {
        this.account = account;
        this.clock = clock;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.redirectUri = redirectUri;
    }

    /** Accepts {@code token} as a long-lived token of {@code userId} (docs/amocrm-api.md §1.4). */
    public synchronized void addLongLivedToken(String token, long userId) {
        longLived.put(token, userId);
    }

    /** What the consent page hands the redirect URI when {@code userId} approves (docs/amocrm-api.md §1.2). */
    public synchronized String issueAuthorizationCode(long userId) {
        user(userId);
        String code = "def50200" + hex(48);
        codes.put(code, new Code(userId, clock.nowSeconds() + CODE_TTL, false));
        return code;
    }

    /**
     * The consent page (docs/amocrm-api.md §1.2) as the sandbox plays it, on the account's own host (amoCRM serves it
     * on www.amocrm.ru): {@code userId} approves, or refuses when {@code approve} is false, and the
     * browser is sent to the redirect URI with the code, the state, the {@code referer} naming the
     * account ({@code {subdomain}.amocrm.ru}) and the client id; a refusal carries
     * {@code error=access_denied}. Null for an integration the account does not know.
     */
    public synchronized String consent(String clientIdParam, String state, long userId, boolean approve) {
        if (!clientId.equals(clientIdParam)) {
            return null;
        }
        String s = state == null ? "" : java.net.URLEncoder.encode(state, StandardCharsets.UTF_8);
        if (!approve) {
            return redirectUri + "?error=access_denied&state=" + s + "&client_id=" + clientId;
        }
        return redirectUri + "?code=" + issueAuthorizationCode(userId) + "&state=" + s + "&referer="
                + account.account().subdomain() + ".amocrm.ru&client_id=" + clientId;
    }

    /** Revokes every OAuth token, as disabling the integration does (docs/amocrm-api.md §1.3); API calls get 401. */
    public synchronized void revokeAll() {
        access.replaceAll((k, v) -> new Access(v.userId(), v.expiresAt(), v.pair(), true));
        refresh.replaceAll((k, v) -> v.with(v.successor(), "REVOKED"));
    }

    /**
     * Expires every OAuth access token now, refresh tokens untouched: the next API call gets 401
     * and a client must refresh (the "401 mid-run" case).
     */
    public synchronized void expireAccessTokens() {
        long now = clock.nowSeconds();
        access.replaceAll((k, v) -> new Access(v.userId(), Math.min(v.expiresAt(), now), v.pair(), v.revoked()));
    }

    /** Successful refreshes so far. */
    public synchronized long refreshCount() {
        return refreshes;
    }

    /** The user a Bearer token speaks for, or null when it is unknown, expired or revoked. */
    synchronized User authenticate(String token) {
        Long lived = longLived.get(token);
        if (lived != null) {
            return user(lived);
        }
        Access a = access.get(token);
        if (a == null || a.revoked() || clock.nowSeconds() >= a.expiresAt()) {
            return null;
        }
        firstUse(a.pair());
        return user(a.userId());
    }

    /** {@code POST /oauth2/access_token}. */
    synchronized HttpResponse token(HttpRequest req, Fidelity fidelity) {
        Map<String, String> body;
        try {
            body = parse(req, fidelity.tokenBody);
        } catch (IllegalArgumentException e) {
            return Problems.of(400, "Bad Request", e.getMessage());
        }
        if (!clientId.equals(body.get("client_id")) || !clientSecret.equals(body.get("client_secret"))) {
            return Problems.of(401, "Unauthorized", "Client authentication failed");
        }
        long now = clock.nowSeconds();
        String grant = body.getOrDefault("grant_type", "");
        switch (grant) {
            case "authorization_code" -> {
                if (!redirectUri.equals(body.get("redirect_uri"))) {
                    return Problems.of(400, "Bad Request", "redirect_uri does not match the integration's");
                }
                Code code = codes.get(body.getOrDefault("code", ""));
                if (code == null || code.used() || now >= code.expiresAt()) {
                    return Problems.of(
                            400,
                            "Bad Request",
                            code == null
                                    ? "Authorization code is invalid"
                                    : code.used()
                                            ? "Authorization code has been revoked"
                                            : "Authorization code has expired");
                }
                codes.put(body.get("code"), new Code(code.userId(), code.expiresAt(), true));
                return pair(code.userId(), null, now);
            }
            case "refresh_token" -> {
                String token = body.getOrDefault("refresh_token", "");
                Refresh r = refresh.get(token);
                if (r == null || !r.state().equals("ACTIVE") || now >= r.expiresAt()) {
                    return Problems.of(
                            401,
                            "Unauthorized",
                            r == null
                                    ? "Refresh token is invalid"
                                    : r.state().equals("ACTIVE")
                                            ? "Refresh token has expired"
                                            : "Refresh token has been revoked");
                }
                firstUse(r.pair());
                if (r.successor() != null) {
                    discard(r.successor());
                }
                refreshes++;
                return pair(r.userId(), token, now);
            }
            default -> {
                return Problems.of(400, "Bad Request", "Unsupported grant_type");
            }
        }
    }

    private HttpResponse pair(long userId, String parentRefresh, long now) {
        String pairId = hex(8);
        String accessToken = jwt(userId, now, pairId);
        String refreshToken = "def50200" + hex(64);
        access.put(accessToken, new Access(userId, now + ACCESS_TTL, pairId, false));
        refresh.put(refreshToken, new Refresh(userId, now + REFRESH_TTL, pairId, parentRefresh, null, "ACTIVE"));
        if (parentRefresh != null) {
            Refresh parent = refresh.get(parentRefresh);
            refresh.put(parentRefresh, parent.with(pairId, parent.state()));
        }
        return new HttpResponse(200, "application/json", Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("token_type", "Bearer");
            g.writeNumberField("expires_in", ACCESS_TTL);
            g.writeStringField("access_token", accessToken);
            g.writeStringField("refresh_token", refreshToken);
            g.writeEndObject();
        }));
    }

    /** The first use of a pair retires the refresh token it replaced (the grace rule ends). */
    private void firstUse(String pairId) {
        for (Map.Entry<String, Refresh> e : refresh.entrySet()) {
            Refresh r = e.getValue();
            if (r.pair().equals(pairId) && r.parent() != null) {
                Refresh parent = refresh.get(r.parent());
                if (parent != null && parent.state().equals("ACTIVE") && pairId.equals(parent.successor())) {
                    refresh.put(r.parent(), parent.with(parent.successor(), "RETIRED"));
                }
            }
        }
    }

    /** A successor the client never used (lost in transit) is dropped when its parent is used again. */
    private void discard(String pairId) {
        refresh.replaceAll((k, v) -> v.pair().equals(pairId) ? v.with(v.successor(), "REVOKED") : v);
        access.replaceAll(
                (k, v) -> v.pair().equals(pairId) ? new Access(v.userId(), v.expiresAt(), v.pair(), true) : v);
    }

    private Map<String, String> parse(HttpRequest req, Fidelity.TokenBody accepted) {
        String type = req.header("content-type") == null
                ? ""
                : req.header("content-type").toLowerCase();
        boolean json = type.startsWith("application/json");
        boolean form = type.startsWith("application/x-www-form-urlencoded");
        if ((json && accepted == Fidelity.TokenBody.FORM)
                || (form && accepted == Fidelity.TokenBody.JSON)
                || (!json && !form)) {
            throw new IllegalArgumentException("Unsupported Content-Type for the token request: " + type);
        }
        Map<String, String> out = new HashMap<>();
        if (json) {
            try {
                JsonNode n = mapper.readTree(req.body());
                n.fields()
                        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            } catch (IOException e) {
                throw new IllegalArgumentException("Request body is not JSON");
            }
        } else {
            QueryParams q = new QueryParams(new String(req.body(), StandardCharsets.UTF_8));
            q.entries().forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** A JWT-shaped token (docs/amocrm-api.md §1.3: it carries user, integration, scopes and account). Unsigned. */
    private String jwt(long userId, long now, String pairId) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String payload =
                "{\"aud\":\"" + clientId + "\",\"jti\":\"" + pairId + hex(8) + "\",\"iat\":" + now + ",\"nbf\":" + now
                        + ",\"exp\":" + (now + ACCESS_TTL) + ",\"sub\":\"" + userId + "\",\"account_id\":"
                        + account.account().id()
                        + ",\"base_domain\":\"amocrm.ru\",\"api_domain\":\"api-b.amocrm.ru\",\"scopes\":[\"crm\",\"notifications\"]}";
        return header + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + hex(32);
    }

    private User user(long id) {
        return account.users().stream()
                .filter(u -> u.id() == id)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no user " + id));
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        StringBuilder sb = new StringBuilder(bytes * 2);
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
