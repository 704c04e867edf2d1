package io.amocrmetl.sandbox.http;

import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.model.User;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The sandbox's front door, in the order a real request meets amoCRM:
 * <ol>
 *   <li>the rate limit and the block (docs/amocrm-api.md §5), on every {@code /api/v4} and
 *       {@code /oauth2} arrival, token calls included;</li>
 *   <li>injected faults;</li>
 *   <li>the token endpoint, or a Bearer check (401 problem+json for unknown, expired or revoked
 *       tokens) and then the API.</li>
 * </ol>
 * {@code /_sandbox/} (the control API's mirror, when enabled) and {@code /oauth} (the consent
 * page, {@link OAuth#consent}) bypass all of it. API and token
 * requests go to the request log; control requests do not.
 */
public final class SandboxHandler implements Function<HttpRequest, HttpResponse> {
    private final boolean controlHttp;
    private final AccountData account;
    private final RequestLog log;
    private final RateLimits limits;
    private final OAuth oauth;
    private final Faults faults;
    private final Webhooks webhooks;
    private final SchemaDrift drift;
    private volatile ApiRoutes api;
    /** Pre-rendered responses (benchmarks): by user, target and If-Modified-Since, at one account version. */
    private final java.util.Map<String, HttpResponse> rendered = new java.util.concurrent.ConcurrentHashMap<>();

    private volatile long renderedVersion = -1;
    private volatile boolean prerender;
    private volatile ControlRoutes control;

    public SandboxHandler(
            boolean controlHttp,
            AccountData account,
            RequestLog log,
            RateLimits limits,
            OAuth oauth,
            Faults faults,
            Webhooks webhooks,
            SchemaDrift drift) {
        this.controlHttp = controlHttp;
        this.account = account;
        this.log = log;
        this.limits = limits;
        this.oauth = oauth;
        this.faults = faults;
        this.webhooks = webhooks;
        this.drift = drift;
    }

    /**
     * Serve repeated GETs from responses rendered once, until the account changes: so a benchmark
     * of a reader measures the reader, not the sandbox's page building.
     */
    public void prerender(boolean on) {
        prerender = on;
        rendered.clear();
    }

    /** Called once the port is known: links in responses carry the base URL. */
    public void bind(String baseUrl) {
        this.api = new ApiRoutes(account, baseUrl, drift);
        this.control = new ControlRoutes(account, log, limits, oauth, webhooks);
    }

    @Override
    public HttpResponse apply(HttpRequest req) {
        if (req.path().startsWith("/_sandbox/")) {
            return controlHttp
                    ? control.handle(req)
                    : Problems.of(404, "Not Found", "the control API is off (SandboxSettings.controlHttp)");
        }
        if (req.path().equals("/oauth")) {
            // The consent page lives on www.amocrm.ru, not the account's API: no limit, no log.
            return consent(req);
        }
        long late = faults.arrivalDelayMillis(req.path());
        if (late > 0) {
            pause(late);
            req = req.arrivedAt(System.nanoTime(), req.startMillis() + late);
        }
        HttpResponse resp = switch (limits.admit(req.startNanos())) {
            case BLOCKED -> RateLimits.blockPage();
            case LIMITED -> limits.tooMany(req.startMillis());
            case PASS -> serve(req);
        };
        log.add(new RequestRecord(
                req.seq(),
                req.startNanos(),
                req.startMillis(),
                req.method(),
                req.target(),
                resp.status(),
                resp.body().length,
                System.nanoTime() - req.startNanos(),
                req.header("if-modified-since")));
        return resp;
    }

    private HttpResponse serve(HttpRequest req) {
        List<Faults.Rule> rules = faults.matching(req.path());
        for (Faults.Rule r : rules) {
            switch (r.kind) {
                case HOLD -> r.hold.hold();
                case DELAY -> pause(r.delayMillis);
                case RESET -> {
                    return HttpResponse.resetConnection();
                }
                case STATUS -> {
                    if (r.status == 429) {
                        return limits.tooMany(req.startMillis()); // in the form the limits are set to send
                    }
                    if (r.status == 403) {
                        return RateLimits.blockPage(); // the block, not a permission problem (docs/amocrm-api.md §5.2)
                    }
                    return r.status == 402
                            ? Problems.of(402, "Payment Required", "The account's paid period is over")
                            : r.status == 401
                                    ? Problems.of(401, "Unauthorized", "Token has expired")
                                    : Problems.of(
                                            r.status,
                                            r.status >= 500 ? "ErrInternalServer" : "Error",
                                            "injected fault " + r.status);
                }
                default -> {
                    // applied to the response below
                }
            }
        }
        for (Faults.Rule r : rules) {
            if (r.kind == Faults.Kind.IGNORE_PAGE) {
                String query = req.rawQuery().replaceAll("(^|&)page=\\d+", "");
                req = new HttpRequest(
                        req.seq(),
                        req.method(),
                        req.path() + "?" + query,
                        req.path(),
                        query,
                        req.headers(),
                        req.body(),
                        req.startNanos(),
                        req.startMillis());
            }
        }
        HttpResponse resp = route(req);
        for (Faults.Rule r : rules) {
            switch (r.kind) {
                case CUT -> resp.cut(resp.body().length / 2);
                case MALFORMED -> {
                    byte[] half = Arrays.copyOf(resp.body(), resp.body().length / 2);
                    HttpResponse broken = new HttpResponse(resp.status(), resp.headers.get("Content-Type"), half);
                    resp = broken;
                }
                case MUTATE -> r.mutation.run();
                default -> {
                    // applied above
                }
            }
        }
        return resp;
    }

    private HttpResponse route(HttpRequest req) {
        String path = req.path();
        if (path.equals("/oauth2/access_token")) {
            return "POST".equals(req.method())
                    ? oauth.token(req, account.fidelity())
                    : Problems.of(405, "Method Not Allowed", "use POST");
        }
        if (!path.startsWith("/api/v4/")) {
            return Problems.of(404, "Not Found", "Cannot " + req.method() + " " + path);
        }
        String auth = req.header("authorization");
        User user = auth != null && auth.startsWith("Bearer ")
                ? oauth.authenticate(auth.substring(7).trim())
                : null;
        if (user == null) {
            return Problems.of(401, "Unauthorized", "Invalid or missing access token");
        }
        if (path.equals("/api/v4/webhooks")) {
            return webhooks.handle(req, user);
        }
        if (!prerender || !"GET".equals(req.method()) || faults.any(path)) {
            return api.handle(req, user);
        }
        long v = account.version();
        if (v != renderedVersion) {
            rendered.clear();
            renderedVersion = v;
        }
        String key = user.id() + " " + req.target() + " " + req.header("if-modified-since");
        HttpResponse cached = rendered.get(key);
        if (cached != null) {
            return cached;
        }
        HttpResponse fresh = api.handle(req, user);
        if (fresh.status() == 200 || fresh.status() == 204) {
            rendered.put(key, fresh);
        }
        return fresh;
    }

    /**
     * {@code GET /oauth?client_id=&state=&mode=} (docs/amocrm-api.md §1.2): a 302 to the redirect URI. Who
     * approves is the sandbox's stand-in for the person at the browser: {@code user_id} (default
     * the account's admin); {@code deny=1} refuses.
     */
    private HttpResponse consent(HttpRequest req) {
        String location;
        try {
            QueryParams q = new QueryParams(req.rawQuery());
            Long user = q.longParam("user_id");
            location = oauth.consent(
                    q.first("client_id"),
                    q.first("state"),
                    user == null ? account.account().currentUserId() : user,
                    !"1".equals(q.first("deny")));
        } catch (QueryParams.BadParam | IllegalArgumentException e) {
            return Problems.of(400, "Bad Request", e.getMessage());
        }
        if (location == null) {
            return Problems.of(400, "Bad Request", "Unknown integration (client_id)");
        }
        return new HttpResponse(302, null, null).header("Location", location);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
