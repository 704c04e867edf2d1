package io.amocrmetl.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * Whose request budget a client draws on (docs/api-client.md, "One budget per host"). amoCRM's
 * pages disagree on what its 7 requests a second are counted by: the IP (its HTTP codes page) or the
 * integration (another page), so both readings are offered.
 *
 * @param dir where the ledgers live, and, for the host scope, the block and 429 pause every account
 *     on the host honours
 * @param host true: one budget for every account and job on this host (per IP, the default); false:
 *     one per account
 */
public record RateScope(Path dir, boolean host) {
    /** The ledger file of an account's budget. */
    Path ledger(String baseUrl) {
        if (host) {
            return dir.resolve("rate-host.ledger");
        }
        CRC32 crc = new CRC32();
        crc.update(baseUrl.getBytes(StandardCharsets.UTF_8));
        return dir.resolve("rate-account-" + HexFormat.of().toHexDigits((int) crc.getValue()) + ".ledger");
    }

    /** Where a block or 429 pause is shared beyond the account's own state folder, or null. */
    Path sharedStateDir() {
        return host ? dir : null;
    }
}
