package io.amocrmetl.api;

import io.amocrmetl.core.ExitCode;
import java.time.Instant;

/** amoCRM blocked this caller (docs/amocrm-api.md §5.2); no request may go out before {@link #until()}. */
public final class BlockedException extends AmoApiException {
    private final Instant until;

    public BlockedException(String message, Instant until) {
        super(ExitCode.BLOCKED, message, 403);
        this.until = until;
    }

    public Instant until() {
        return until;
    }
}
