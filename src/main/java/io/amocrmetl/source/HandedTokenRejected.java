package io.amocrmetl.source;

/**
 * Recognises a read that failed because amoCRM rejected the access token the driver handed to
 * its tasks (401). Executors cannot refresh (the refresh token is single-use, docs/amocrm-api.md
 * §1.3), so the driver refreshes and reads the window again; this tells that failure from any
 * other, through Spark's wrapping (the cause chain in local mode, the message text on a cluster).
 */
public final class HandedTokenRejected {
    static final String MESSAGE = "the access token handed to this read was rejected (401)";

    private HandedTokenRejected() {}

    public static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(MESSAGE)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
