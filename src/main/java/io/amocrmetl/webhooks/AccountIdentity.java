package io.amocrmetl.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The account the receiver accepts deliveries from: {@code account[id]} must match; a different
 * {@code account[subdomain]} is a rename, accepted and counted as drift (docs/amocrm-api.md §6.4:
 * deliveries are not signed; the secret path and the account are what can be checked). Taken from {@code GET /api/v4/account}
 * by {@code webhooks install} (or by {@code serve}'s first start) and kept in the landing folder
 * as {@code accounts/<source-name>.json}, so the receiver needs no API call to start. One file per
 * {@code amocrm.source-name}: the accounts of one lake share the landing root, and each receiver
 * must find its own account there (docs/webhooks.md: landing). The single {@code account.json} of
 * earlier versions is not read: with two accounts it named whichever installed last.
 */
public record AccountIdentity(long id, String subdomain) {
    static final String FOLDER = "accounts";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public AccountIdentity {
        subdomain = subdomain.toLowerCase(Locale.ROOT);
    }

    /** From {@code /api/v4/account}'s answer. */
    public static AccountIdentity of(JsonNode account) {
        if (account == null
                || !account.path("id").canConvertToLong()
                || account.path("subdomain").asText("").isEmpty()) {
            throw new IllegalArgumentException("GET /api/v4/account returned no id or subdomain");
        }
        return new AccountIdentity(
                account.get("id").asLong(), account.get("subdomain").asText());
    }

    /** Where the identity of the account configured as {@code sourceName} is kept, for messages. */
    static String file(String sourceName) {
        return FOLDER + "/" + sourceName + ".json";
    }

    /** The identity kept in the landing folder for this source name, or null when none was kept yet. */
    static AccountIdentity load(LandingFiles files, String sourceName) throws IOException {
        byte[] b = files.read(FOLDER, sourceName + ".json");
        return b == null ? null : fromJson(b);
    }

    void save(LandingFiles files, String sourceName) throws IOException {
        AccountIdentity have = load(files, sourceName);
        if (!equals(have)) {
            files.put(FOLDER, sourceName + ".json", toJson());
        }
    }

    boolean matches(long otherId, String otherSubdomain) {
        return otherId == id
                && otherSubdomain != null
                && otherSubdomain.toLowerCase(Locale.ROOT).equals(subdomain);
    }

    byte[] toJson() {
        return ("{\"id\":" + id + ",\"subdomain\":" + quote(subdomain) + "}\n").getBytes(StandardCharsets.UTF_8);
    }

    static AccountIdentity fromJson(byte[] json) throws IOException {
        JsonNode n = MAPPER.readTree(json);
        try {
            return of(n);
        } catch (IllegalArgumentException e) {
            throw new IOException("the kept account holds no account id or subdomain");
        }
    }

    private static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
