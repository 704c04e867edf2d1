package io.amocrmetl.testing;

import io.amocrmetl.sandbox.Sandbox;
import java.util.LinkedHashMap;
import java.util.Map;

/** OAuth grants for the sandbox's integration, as `auth exchange` would send them. */
public final class SandboxOAuth {
    private SandboxOAuth() {}

    /** An authorization_code grant with a fresh code approved by the account's admin. */
    public static Map<String, String> codeGrant(Sandbox sandbox) {
        Map<String, String> grant = new LinkedHashMap<>();
        grant.put("client_id", Sandbox.CLIENT_ID);
        grant.put("client_secret", Sandbox.CLIENT_SECRET);
        grant.put("grant_type", "authorization_code");
        grant.put(
                "code",
                sandbox.oauth()
                        .issueAuthorizationCode(sandbox.groundTruth().account().currentUserId()));
        grant.put("redirect_uri", Sandbox.REDIRECT_URI);
        return grant;
    }
}
