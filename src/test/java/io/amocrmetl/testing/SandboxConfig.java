package io.amocrmetl.testing;

import io.amocrmetl.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Configuration keys that point the product at a sandbox (as reader options or config overrides). */
public final class SandboxConfig {
    private SandboxConfig() {}

    /** Base URL, the sandbox's long-lived token, and state and host folders under {@code dir}; rate limited at 6/s. */
    public static Map<String, String> of(Sandbox sandbox, Path dir) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("amocrm.base-url", sandbox.baseUrl());
        m.put("amocrm.auth.long-lived-token", sandbox.settings().token());
        m.put("amocrm.auth.token-store", dir.resolve("state/tokens.json").toString());
        // Each test is a host of its own: tests running at once in other JVMs do not share its budget.
        m.put("amocrm.rate-limit.host-dir", dir.resolve("host").toString());
        return m;
    }

    /** As {@link #of}, without the client's rate limit (loopback only), for functional tests. */
    public static Map<String, String> fast(Sandbox sandbox, Path dir) {
        Map<String, String> m = of(sandbox, dir);
        m.put("amocrm.rate-limit.unlimited", "true");
        sandbox.limits().enabled = false;
        return m;
    }
}
