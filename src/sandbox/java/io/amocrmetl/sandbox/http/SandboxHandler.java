package io.amocrmetl.sandbox.http;

import io.amocrmetl.sandbox.data.AccountData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;

/**
 * The sandbox's front door: {@code /api/v4/*} behind a Bearer token (reference §1.2), the
 * control API's mirror under {@code /_sandbox/} when enabled, 404 elsewhere. API requests go to
 * the request log; control requests do not, so they never distort rate measurements.
 */
public final class SandboxHandler implements Function<HttpRequest, HttpResponse> {
    private final byte[] token;
    private final boolean controlHttp;
    private final int eventsPageMax;
    private final AccountData account;
    private final RequestLog log;
    private volatile ApiRoutes api;
    private volatile ControlRoutes control;

    public SandboxHandler(String token, boolean controlHttp, int eventsPageMax, AccountData account, RequestLog log) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.controlHttp = controlHttp;
        this.eventsPageMax = eventsPageMax;
        this.account = account;
        this.log = log;
    }

    /** Called once the port is known: links in responses carry the base URL. */
    public void bind(String baseUrl) {
        this.api = new ApiRoutes(account, () -> eventsPageMax, baseUrl);
        this.control = new ControlRoutes(account, log);
    }

    @Override
    public HttpResponse apply(HttpRequest req) {
        if (req.path().startsWith("/_sandbox/")) {
            return controlHttp ? control.handle(req)
                    : Problems.of(404, "Not Found", "the control API is off (SandboxSettings.controlHttp)");
        }
        HttpResponse resp;
        if (!req.path().startsWith("/api/v4/")) {
            resp = Problems.of(404, "Not Found", "Cannot " + req.method() + " " + req.path());
        } else if (!authorized(req.header("authorization"))) {
            resp = Problems.of(401, "Unauthorized", "Invalid or missing access token");
        } else {
            resp = api.handle(req);
        }
        log.add(new RequestRecord(req.seq(), req.startNanos(), req.startMillis(), req.method(), req.target(),
                resp.status(), resp.body().length, System.nanoTime() - req.startNanos()));
        return resp;
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }
}
