package io.amocrmetl.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    /** {@code filter[field][]=v} for each value, checked on each item. */
    public ListRequest in(String field, java.util.Collection<?> values) {
        Set<String> set = new LinkedHashSet<>();
        for (Object v : values) {
            params.add(new String[] {"filter[" + field + "][]", String.valueOf(v)});
            set.add(String.valueOf(v));
        }
        allowed.put(field, set);
        return this;
    }

    /** A parameter the client does not check (order, with, ...). */
    public ListRequest param(String key, String value) {
        params.add(new String[] {key, value});
        return this;
    }

    PageCheck check() {
        return ranges.isEmpty() && allowed.isEmpty() ? PageCheck.NONE : new PageCheck(Map.copyOf(ranges), Map.copyOf(allowed));
    }

    /** The path and query of the first page. */
    public String pathAndQuery() {
        StringBuilder sb = new StringBuilder(path).append('?');
        for (int i = 0; i < params.size(); i++) {
            sb.append(i == 0 ? "" : "&").append(enc(params.get(i)[0])).append('=').append(enc(params.get(i)[1]));
        }
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]");
    }

    @Override
    public String toString() {
        return Redaction.url(pathAndQuery());
    }
}
