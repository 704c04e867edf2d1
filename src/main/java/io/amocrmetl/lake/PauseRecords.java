package io.amocrmetl.lake;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * amoCRM's block and 429 pause as recorded in the lake beside the leases
 * ({@code _leases/amocrm_blocked_until}, {@code amocrm_cool_down_until}), so that the next run on any
 * host sees them (docs/api-client.md, "Blocks and 429s on a cluster"). With the host scope one pair
 * serves the whole lake; with the account scope one per account address. A record that cannot be
 * read or written is logged and skipped: the host's own records still hold.
 */
public final class PauseRecords {
    private static final Logger LOG = LoggerFactory.getLogger(PauseRecords.class);

    private final LeaseFile block;
    private final LeaseFile pause;

    private PauseRecords(LeaseFile block, LeaseFile pause) {
        this.block = block;
        this.pause = pause;
    }

    /** @param address the account's base URL, or null for one pair for the lake (scope host) */
    public static PauseRecords of(Lake lake, String address) {
        String suffix = address == null
                ? ""
                : "."
                        + address.replaceFirst("^[a-z]+://", "")
                                .replaceAll("[^A-Za-z0-9.-]", "_")
                                .toLowerCase(Locale.ROOT);
        return new PauseRecords(
                LeaseFile.in(lake, "amocrm_blocked_until" + suffix),
                LeaseFile.in(lake, "amocrm_cool_down_until" + suffix));
    }

    public Optional<Instant> blockedUntil() {
        return read(block);
    }

    public Optional<Instant> coolDownUntil() {
        return read(pause);
    }

    /** Records a block unless one that ends later is recorded. */
    public void block(Instant until) {
        write(block, until);
    }

    /** Records a pause unless one that ends later is recorded. */
    public void coolDown(Instant until) {
        write(pause, until);
    }

    private static Optional<Instant> read(LeaseFile file) {
        try {
            return file.read(file.name()).map(String::trim).map(Instant::parse);
        } catch (RuntimeException e) { // unreadable or unparsable
            LOG.warn("could not read {} in the lake: {}", file.name(), e.toString());
            return Optional.empty();
        }
    }

    private static void write(LeaseFile file, Instant until) {
        if (read(file).filter(until::isBefore).isPresent()) {
            return;
        }
        try {
            file.delete(file.name());
            file.create(until + "\n");
        } catch (RuntimeException e) {
            LOG.warn("could not record {} in the lake: {}", file.name(), e.toString());
        }
    }
}
