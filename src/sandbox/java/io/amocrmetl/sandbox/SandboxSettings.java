package io.amocrmetl.sandbox;

import java.time.Instant;

/**
 * How a sandbox starts. Defaults make a small account with every edge case; tests and
 * benchmarks change what they need with the {@code with*} methods.
 *
 * @param seed drives every generated value: the same seed and clock start give the same account
 * @param leads about how many leads; other entities follow in proportion
 * @param historyDays how far back the generated history reaches
 * @param port 0 for any free port
 * @param token the long-lived token the API accepts (docs/amocrm-api.md §1.4)
 * @param controlHttp whether {@code /_sandbox/} (the control API's HTTP mirror) is served
 * @param apiFilterEnabled what the account reports as {@code is_api_filter_enabled}; when false,
 *                         entity list filters are ignored, as on accounts without the "new"
 *                         filtering (docs/amocrm-api.md §4.2, §9.9)
 * @param eventsPageMax the events page cap, 100 (RU docs) or 250 (Kommo docs), docs/amocrm-api.md §9.6
 * @param clockStart the sandbox clock's start; data timestamps are relative to it
 */
public record SandboxSettings(
        long seed,
        int leads,
        int historyDays,
        int port,
        String token,
        boolean controlHttp,
        boolean apiFilterEnabled,
        int eventsPageMax,
        Instant clockStart) {

    public static final String DEFAULT_TOKEN = "sandbox-long-lived-token";

    public SandboxSettings {
        if (leads < 10) {
            throw new IllegalArgumentException("leads must be at least 10, got " + leads);
        }
        if (historyDays < 1) {
            throw new IllegalArgumentException("historyDays must be at least 1, got " + historyDays);
        }
        if (eventsPageMax != 100 && eventsPageMax != 250) {
            throw new IllegalArgumentException("eventsPageMax is 100 or 250, got " + eventsPageMax);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
    }

    public static SandboxSettings defaults() {
        return new SandboxSettings(42, 200, 365, 0, DEFAULT_TOKEN, false, true, 100, Instant.now());
    }

    public SandboxSettings withSeed(long v) {
        return new SandboxSettings(
                v, leads, historyDays, port, token, controlHttp, apiFilterEnabled, eventsPageMax, clockStart);
    }

    public SandboxSettings withLeads(int v) {
        return new SandboxSettings(
                seed, v, historyDays, port, token, controlHttp, apiFilterEnabled, eventsPageMax, clockStart);
    }

    public SandboxSettings withHistoryDays(int v) {
        return new SandboxSettings(
                seed, leads, v, port, token, controlHttp, apiFilterEnabled, eventsPageMax, clockStart);
    }

    public SandboxSettings withPort(int v) {
        return new SandboxSettings(
                seed, leads, historyDays, v, token, controlHttp, apiFilterEnabled, eventsPageMax, clockStart);
    }

    public SandboxSettings withToken(String v) {
        return new SandboxSettings(
                seed, leads, historyDays, port, v, controlHttp, apiFilterEnabled, eventsPageMax, clockStart);
    }

    public SandboxSettings withControlHttp(boolean v) {
        return new SandboxSettings(
                seed, leads, historyDays, port, token, v, apiFilterEnabled, eventsPageMax, clockStart);
    }

    public SandboxSettings withApiFilterEnabled(boolean v) {
        return new SandboxSettings(seed, leads, historyDays, port, token, controlHttp, v, eventsPageMax, clockStart);
    }

    public SandboxSettings withEventsPageMax(int v) {
        return new SandboxSettings(seed, leads, historyDays, port, token, controlHttp, apiFilterEnabled, v, clockStart);
    }

    public SandboxSettings withClockStart(Instant v) {
        return new SandboxSettings(
                seed, leads, historyDays, port, token, controlHttp, apiFilterEnabled, eventsPageMax, v);
    }
}
