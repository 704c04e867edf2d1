package io.amocrmetl.sandbox.http;

/**
 * One API request as the sandbox saw it. {@code startNanos} is System.nanoTime() when the request
 * line arrived (for sliding-window counts); {@code startMillis} is the sandbox clock then.
 * {@code target} is the path and query as sent (the sandbox's own tokens never travel in it);
 * {@code ifModifiedSince} the If-Modified-Since header, if any (docs/amocrm-api.md §3.5).
 */
public record RequestRecord(
        long seq,
        long startNanos,
        long startMillis,
        String method,
        String target,
        int status,
        int bytes,
        long durationNanos,
        String ifModifiedSince) {

    public RequestRecord(
            long seq,
            long startNanos,
            long startMillis,
            String method,
            String target,
            int status,
            int bytes,
            long durationNanos) {
        this(seq, startNanos, startMillis, method, target, status, bytes, durationNanos, null);
    }

    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }
}
