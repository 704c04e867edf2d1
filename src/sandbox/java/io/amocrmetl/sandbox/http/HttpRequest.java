package io.amocrmetl.sandbox.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed HTTP request. Header names are lower-cased. {@code startNanos} is when its request
 * line arrived: the "request start" that rate limits count (docs/amocrm-api.md §5.1).
 */
public record HttpRequest(
        long seq,
        String method,
        String target,
        String path,
        String rawQuery,
        Map<String, List<String>> headers,
        byte[] body,
        long startNanos,
        long startMillis) {

    /** The same request, arrived at another time (a late-arrival fault). */
    HttpRequest arrivedAt(long nanos, long millis) {
        return new HttpRequest(seq, method, target, path, rawQuery, headers, body, nanos, millis);
    }

    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
