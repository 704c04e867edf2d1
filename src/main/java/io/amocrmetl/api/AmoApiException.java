package io.amocrmetl.api;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;

/**
 * A failed amoCRM call, named by method, path and query (secrets removed), page, status and the
 * problem+json {@code detail}. It never carries a token: messages are built from redacted parts.
 */
public class AmoApiException extends EtlException {
    private final int status;

    public AmoApiException(ExitCode code, String message, int status) {
        super(code, message);
        this.status = status;
    }

    public AmoApiException(ExitCode code, String message, int status, Throwable cause) {
        super(code, message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when no answer came (timeout, reset, cut body). */
    public int status() {
        return status;
    }

    /** "GET /api/v4/leads?limit=250 (page 3)": what failed, for messages. */
    static String describe(String method, String pathAndQuery, int page) {
        return method + " " + Redaction.url(pathAndQuery) + (page > 0 ? " (page " + page + ")" : "");
    }
}
