package io.amocrmetl.webhooks;

/**
 * Why the receiver refuses a request: the HTTP status and a short reason for the response body and
 * the log line. Reasons are fixed text and numbers, never the request's own bytes (log injection,
 * and a near-miss path may hold most of the secret).
 */
final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refusal(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }
}
