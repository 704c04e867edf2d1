package io.amocrmetl.ingest;

import io.amocrmetl.api.BlockState;
import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.PauseRecords;
import java.time.Instant;

/**
 * A host's block and 429 pause kept in step with the lake's (docs/api-client.md, "Blocks and 429s
 * on a cluster"): a run copies the lake's records into its host's before its first request, and
 * its host's into the lake when it ends, so the next run on any host sees what this one met.
 */
public final class SharedPauses {
    private final PauseRecords lake;
    private final BlockState host;

    private SharedPauses(PauseRecords lake, BlockState host) {
        this.lake = lake;
        this.host = host;
    }

    /** The lake need not exist yet. */
    public static SharedPauses of(Lake lake, ClientSettings settings) {
        return new SharedPauses(
                PauseRecords.of(lake, settings.rateScope().host() ? null : settings.baseUrl()),
                BlockState.of(settings));
    }

    /** Before a run's first request: a later block or pause of the lake becomes this host's too. */
    public void pull() {
        Instant now = Instant.now();
        lake.blockedUntil().filter(now::isBefore).ifPresent(until -> {
            Instant mine = host.blockedUntil(now);
            if (mine == null || mine.isBefore(until)) {
                host.block(until);
            }
        });
        lake.coolDownUntil().filter(now::isBefore).ifPresent(host::coolDown);
    }

    /** When a run ends: this host's block or pause becomes the lake's, if it ends later. */
    public void push() {
        Instant now = Instant.now();
        Instant blocked = host.blockedUntil(now);
        if (blocked != null) {
            lake.block(blocked);
        }
        Instant paused = host.coolDownUntil(now);
        if (paused != null) {
            lake.coolDown(paused);
        }
    }
}
