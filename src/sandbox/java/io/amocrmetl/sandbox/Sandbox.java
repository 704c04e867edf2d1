package io.amocrmetl.sandbox;

import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.AccountShape;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.data.SandboxClock;
import io.amocrmetl.sandbox.http.HttpCore;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.SandboxHandler;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A faithful amoCRM API v4 simulator on loopback (DESIGN.md "The sandbox"): the demo's data
 * source, every test's counterpart, and the benchmark target. Built from
 * reference/amocrm-api-v4.md; it imports nothing from the product.
 *
 * <pre>{@code
 * try (Sandbox sb = Sandbox.start(SandboxSettings.defaults().withLeads(500))) {
 *     String url = sb.baseUrl();          // http://127.0.0.1:PORT
 *     sb.account().delete("leads", id);   // control API: mutations
 *     GroundTruth truth = sb.groundTruth();
 * }
 * }</pre>
 */
public final class Sandbox implements AutoCloseable {
    private final SandboxSettings settings;
    private final SandboxClock clock;
    private final AccountData account;
    private final RequestLog requests = new RequestLog();
    private final HttpCore server;

    private Sandbox(SandboxSettings settings) throws IOException {
        this.settings = settings;
        this.clock = new SandboxClock(settings.clockStart());
        this.account = new AccountData(settings.seed(), AccountShape.ofLeads(settings.leads()), settings.historyDays(),
                clock, settings.apiFilterEnabled());
        SandboxHandler handler = new SandboxHandler(settings.token(), settings.controlHttp(), settings.eventsPageMax(),
                account, requests);
        this.server = new HttpCore(settings.port(), handler, clock);
        handler.bind("http://127.0.0.1:" + server.port());
    }

    public static Sandbox start(SandboxSettings settings) {
        try {
            return new Sandbox(settings);
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

    /** Every API request served, with the time it started. */
    public RequestLog requests() {
        return requests;
    }

    public SandboxClock clock() {
        return clock;
    }

    @Override
    public void close() {
        server.close();
    }
}
