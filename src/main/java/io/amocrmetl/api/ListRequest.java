package io.amocrmetl.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A list read: the endpoint, the name its items sit under in {@code _embedded}, the query, and
 * what every returned item must satisfy. Built with the filter methods, which add both the
 * parameter and its check, so a filter the server ignores is always caught.
 */
public final class ListRequest {
    final String path;
    final String embedded;
    private final List<String[]> params = new ArrayList<>();
    private final Map<String, long[]> ranges = new LinkedHashMap<>();
    private final Map<String, Set<String>> allowed = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ListRequest(String path, String embedded, int limit) {
        this.path = path;
        this.embedded = embedded;
        params.add(new String[] {"limit", String.valueOf(limit)});
    }

    /** A list read with the endpoint's own page size ({@link PageSizes}). */
    public static ListRequest of(String path, String embedded) {
        return new ListRequest(path, embedded, PageSizes.of(path));
    }

    /** {@code filter[field][from]} and/or {@code [to]} (null for an open end), checked on each item. */
    public ListRequest range(String field, Long from, Long to) {
        if (from != null) {
            params.add(new String[] {"filter[" + field + "][from]", String.valueOf(from)});
        }
        if (to != null) {
            params.add(new String[] {"filter[" + field + "][to]", String.valueOf(to)});
        }
        ranges.put(field, new long[] {from == null ? Long.MIN_VALUE : from, to == null ? Long.MAX_VALUE : to});
        return this;
    }

    /**
     * A range every item must satisfy without the {@code [from]/[to]} parameters (for a filter
     * sent in another form, e.g. the events' comma form {@code filter[created_at]=from,to}, docs/amocrm-api.md §4.3).
     */
    public ListRequest checkRange(String field, Long from, Long to) {
        ranges.put(field, new long[] {from == null ? Long.MIN_VALUE : from, to == null ? Long.MAX_VALUE : to});
        return this;
    }

    /** {@code filter[field][]=v} for each value, checked on each item. */
    public ListRequest in(String field, Collection<?> values) {
        return in(field, field, values);
    }

    /**
     * {@code filter[param][]=v} for each value, checked on the item's {@code field} (they differ
     * for events: {@code filter[entity][]} filters on {@code entity_type}, docs/amocrm-api.md §4.3).
     */
    public ListRequest in(String param, String field, Collection<?> values) {
        Set<String> set = new LinkedHashSet<>();
        for (Object v : values) {
            params.add(new String[] {"filter[" + param + "][]", String.valueOf(v)});
            set.add(String.valueOf(v));
        }
        allowed.put(field, set);
        return this;
    }

    /**
     * {@code If-Modified-Since} (docs/amocrm-api.md §3.5): only entities changed after that second. It is
     * what incremental reads fall back to when the account's API filters are off (docs/amocrm-api.md §4.2).
     */
    public ListRequest ifModifiedSince(long epochSecond) {
        headers.put(
                "If-Modified-Since",
                DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC)));
        return this;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** The path and query of page {@code n} (page 1 is the request as built). */
    public String pageQuery(int n) {
        return n <= 1 ? pathAndQuery() : pathAndQuery() + "&page=" + n;
    }

    /** A parameter the client does not check (order, with, ...). */
    public ListRequest param(String key, String value) {
        params.add(new String[] {key, value});
        return this;
    }

    PageCheck check() {
        return ranges.isEmpty() && allowed.isEmpty()
                ? PageCheck.NONE
                : new PageCheck(Map.copyOf(ranges), Map.copyOf(allowed));
    }

    /** The path and query of the first page. */
    public String pathAndQuery() {
        StringBuilder sb = new StringBuilder(path).append('?');
        for (int i = 0; i < params.size(); i++) {
            sb.append(i == 0 ? "" : "&")
                    .append(enc(params.get(i)[0]))
                    .append('=')
                    .append(enc(params.get(i)[1]));
        }
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]");
    }

    @Override
    public String toString() {
        return Redaction.url(pathAndQuery()) + (headers.isEmpty() ? "" : " " + headers);
    }
}
