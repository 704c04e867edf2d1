package io.amocrmetl.auth;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The {@code state} of the consent URL (docs/amocrm-api.md §1.2: the CSRF guard of the code flow).
 * {@code auth url} makes a random one and keeps it beside the token store; {@code auth exchange}
 * refuses an address whose state differs (it did not come from that consent URL), and forgets it
 * once the account is connected.
 */
final class OAuthState {
    static final String FILE = "oauth_state";
    private static final SecureRandom RANDOM = new SecureRandom();

    private OAuthState() {}

    /** A new state, stored in {@code dir} (mode 0600). */
    static String create(Path dir) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder(32);
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        String state = sb.toString();
        PrivateFiles.write(dir.resolve(FILE), state.getBytes(StandardCharsets.UTF_8));
        return state;
    }

    /** Fails when both the stored state and {@code given} exist and differ. */
    static void check(Path dir, String given) {
        if (given == null) {
            return;
        }
        String stored;
        try {
            stored = Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + dir.resolve(FILE), e);
        }
        if (!stored.equals(given.trim())) {
            throw new EtlException(
                    ExitCode.AUTH,
                    "the address's state does not match the consent URL `auth url` printed "
                            + "last (a guard against forged redirects, docs/amocrm-api.md §1.2): run `auth url` again and use the address "
                            + "its link leads to");
        }
    }

    static void clear(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + dir.resolve(FILE), e);
        }
    }
}
