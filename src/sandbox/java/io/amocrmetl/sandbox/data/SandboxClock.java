package io.amocrmetl.sandbox.data;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sandbox's clock (docs/sandbox.md): real time plus an offset that tests move. It
 * stamps mutations, expires tokens and fills the {@code Date} header.
 */
public final class SandboxClock {
    private final AtomicLong offsetMillis = new AtomicLong();

    public SandboxClock(Instant start) {
        offsetMillis.set(start.toEpochMilli() - System.currentTimeMillis());
    }

    public long nowMillis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    public long nowSeconds() {
        return Math.floorDiv(nowMillis(), 1000L);
    }

    public Instant now() {
        return Instant.ofEpochMilli(nowMillis());
    }

    /** Moves the clock forward (or back, for a negative duration). */
    public void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }
}
