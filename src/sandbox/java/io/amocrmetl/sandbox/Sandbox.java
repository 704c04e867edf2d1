package io.amocrmetl.sandbox;

import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.AccountShape;
import io.amocrmetl.sandbox.data.Fidelity;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.data.SandboxClock;
import io.amocrmetl.sandbox.http.Faults;
import io.amocrmetl.sandbox.http.HttpCore;
import io.amocrmetl.sandbox.http.OAuth;
import io.amocrmetl.sandbox.http.RateLimits;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.SandboxHandler;
import io.amocrmetl.sandbox.http.SchemaDrift;
import io.amocrmetl.sandbox.http.Webhooks;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A faithful amoCRM API v4 simulator on loopback (docs/sandbox.md): the demo's data
 * source, every test's counterpart, and the benchmark target. Built from
 * docs/amocrm-api.md; it imports nothing from the product.
 *
 * <pre>{@code
 * try (Sandbox sb = Sandbox.start(SandboxSettings.defaults().withLeads(500))) {
 *     String url = sb.baseUrl();                 // http://127.0.0.1:PORT
 *     sb.account().delete("leads", id);          // mutations
 *     sb.limits().requestsPerSecond = 3;         // rate thresholds
 *     sb.fidelity().toInclusive = false;         // readings of undocumented behaviour
 *     sb.faults().failShare("/api/v4/leads", 0.1, 502);
 *     GroundTruth truth = sb.groundTruth();
 * }
 * }</pre>
 */
public final class Sandbox implements AutoCloseable {
    /** The integration the sandbox's OAuth accepts (docs/amocrm-api.md §1.2). */
    public static final String CLIENT_ID = "7c3c8b1e-5f0a-4a57-9f1e-sandbox00001";

    public static final String CLIENT_SECRET = "sandbox-client-secret";
    public static final String REDIRECT_URI = "https://etl.example/amocrm/callback";

    private final SandboxSettings settings;
    private final SandboxClock clock;
    private final Fidelity fidelity = new Fidelity();
    private final AccountData account;
    private final RequestLog requests = new RequestLog();
    private final RateLimits limits;
    private final OAuth oauth;
    private final Faults faults;
    private final Webhooks webhooks;
    private final SchemaDrift drift = new SchemaDrift();
    private final HttpCore server;
    private final SandboxHandler handler;

    private Sandbox(SandboxSettings settings, RateLimits limits) throws IOException {
        this.settings = settings;
        this.limits = limits;
        this.clock = new SandboxClock(settings.clockStart());
        fidelity.apiFilters(settings.apiFilterEnabled());
        fidelity.eventsPageMax = settings.eventsPageMax();
        this.account = new AccountData(
                settings.seed(), AccountShape.ofLeads(settings.leads()), settings.historyDays(), clock, fidelity);
        this.oauth = new OAuth(account, clock, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI);
        oauth.addLongLivedToken(settings.token(), account.account().currentUserId());
        this.faults = Faults.seeded(settings.seed());
        this.webhooks = new Webhooks(account, clock);
        this.handler =
                new SandboxHandler(settings.controlHttp(), account, requests, limits, oauth, faults, webhooks, drift);
        this.server = new HttpCore(settings.port(), handler, clock);
        handler.bind(baseUrl());
    }

    public static Sandbox start(SandboxSettings settings) {
        return start(settings, new RateLimits());
    }

    /**
     * Another account served from the same IP as {@code other}: amoCRM counts its rate limit per IP
     * (docs/amocrm-api.md §5.1), so both accounts' requests count against one limit, 429s and block
     * included.
     */
    public static Sandbox startBeside(Sandbox other, SandboxSettings settings) {
        return start(settings, other.limits);
    }

    private static Sandbox start(SandboxSettings settings, RateLimits limits) {
        try {
            return new Sandbox(settings, limits);
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox could not bind 127.0.0.1:" + settings.port(), e);
        }
    }

    /** The account URL the product is configured with, e.g. {@code http://127.0.0.1:40123}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    public SandboxSettings settings() {
        return settings;
    }

    /** The account: reference data, lists, mutations (the control API's Java side). */
    public AccountData account() {
        return account;
    }

    public GroundTruth groundTruth() {
        return account.groundTruth();
    }

    /** Every API and token request served, with the time it started. */
    public RequestLog requests() {
        return requests;
    }

    public SandboxClock clock() {
        return clock;
    }

    /** The switches for behaviour amoCRM's documentation leaves unverified (docs/amocrm-api.md §9). */
    public Fidelity fidelity() {
        return fidelity;
    }

    /** The rate limit, 429s and block (docs/amocrm-api.md §5). */
    public RateLimits limits() {
        return limits;
    }

    /** Authorization codes, tokens, revocation (docs/amocrm-api.md §1). */
    public OAuth oauth() {
        return oauth;
    }

    public Faults faults() {
        return faults;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    /**
     * Serve repeated GETs from responses rendered once until the account changes (benchmarks of
     * readers, so they measure the reader and not the sandbox's page building).
     */
    public Sandbox prerender(boolean on) {
        handler.prerender(on);
        return this;
    }

    /** Schema drift on demand: new fields, odd values, unknown custom-field types. */
    public SchemaDrift drift() {
        return drift;
    }

    @Override
    public void close() {
        server.close();
        webhooks.close();
    }
}
