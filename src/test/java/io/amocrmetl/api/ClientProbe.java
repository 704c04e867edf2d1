package io.amocrmetl.api;

import io.amocrmetl.core.EtlException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A child-process client for the cross-process tests: {@code ClientProbe BASE_URL STATE_DIR PATH
 * (--token T | --store FILE)}. It GETs PATH once and exits 0, or with the failure's exit code and
 * one line on stderr, as the product's commands do.
 */
public final class ClientProbe {
    private ClientProbe() {}

    public static void main(String[] args) {
        try {
            AuthProvider auth = args[3].equals("--token")
                    ? new LongLivedToken(args[4])
                    : new OAuthTokens(new TokenStore(Path.of(args[4])), args[5], args[6], args[7], Clock.systemUTC());
            AmoClient client = new AmoClient(ClientSettings.of(args[0], 6, Path.of(args[1])), auth);
            System.out.println(client.getObject(args[2]).path("id").asLong());
            System.exit(0);
        } catch (EtlException e) {
            System.err.println("amocrm-etl: " + e.getMessage());
            System.exit(e.exitCode().code);
        }
    }
}
