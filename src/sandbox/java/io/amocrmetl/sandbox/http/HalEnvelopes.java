package io.amocrmetl.sandbox.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.amocrmetl.sandbox.data.PageResult;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The HAL envelopes of API v4 answers (docs/amocrm-api.md §2, §3): {@code _page},
 * {@code _links.self} and {@code next} with the request's own query, {@code _embedded}; 204 with
 * no body for an empty page; small lists also count {@code _total_items} and {@code _page_count}.
 */
final class HalEnvelopes {
    static final String HAL = "application/hal+json";

    private final String baseUrl;
    private final ListParams params;

    HalEnvelopes(String baseUrl, ListParams params) {
        this.baseUrl = baseUrl;
        this.params = params;
    }

    interface ItemWriter<T> {
        void write(JsonGenerator g, T item) throws IOException;
    }

    HttpResponse ok(Problems.Body body) {
        return new HttpResponse(200, HAL, Json.write(body));
    }

    <T> HttpResponse hal(HttpRequest req, String name, PageResult<T> page, int[] pl, ItemWriter<T> writer) {
        if (page.items().isEmpty()) {
            return HttpResponse.noContent();
        }
        return ok(g -> {
            g.writeStartObject();
            g.writeNumberField("_page", pl[0]);
            links(g, req.path(), req.rawQuery(), page.hasNext(), pl[0], pl[1]);
            g.writeObjectFieldStart("_embedded");
            g.writeArrayFieldStart(name);
            for (T item : page.items()) {
                writer.write(g, item);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** Lists that are small enough to count: they also carry _total_items and _page_count. */
    <T> HttpResponse smallList(
            HttpRequest req, QueryParams q, String name, List<T> all, int max, ItemWriter<T> writer) {
        int[] pl = params.pageAndLimit(q, max);
        int start = (int) Math.min(all.size(), (long) (pl[0] - 1) * pl[1]);
        int end = Math.min(all.size(), start + pl[1]);
        if (start >= end) {
            return HttpResponse.noContent();
        }
        int pageCount = (all.size() + pl[1] - 1) / pl[1];
        return ok(g -> {
            g.writeStartObject();
            g.writeNumberField("_total_items", all.size());
            g.writeNumberField("_page", pl[0]);
            g.writeNumberField("_page_count", pageCount);
            links(g, req.path(), req.rawQuery(), end < all.size(), pl[0], pl[1]);
            g.writeObjectFieldStart("_embedded");
            g.writeArrayFieldStart(name);
            for (T item : all.subList(start, end)) {
                writer.write(g, item);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    void links(JsonGenerator g, String path, String rawQuery, boolean hasNext, int page, int limit) throws IOException {
        g.writeObjectFieldStart("_links");
        g.writeObjectFieldStart("self");
        g.writeStringField("href", page == 0 ? baseUrl + path : pageHref(path, rawQuery, page, limit));
        g.writeEndObject();
        if (hasNext) {
            g.writeObjectFieldStart("next");
            g.writeStringField("href", pageHref(path, rawQuery, page + 1, limit));
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The request's own query with page and limit replaced; other parameters keep their order. */
    String pageHref(String path, String rawQuery, int page, int limit) {
        StringBuilder sb = new StringBuilder(baseUrl).append(path).append('?');
        for (Map.Entry<String, String> e : new QueryParams(rawQuery).entries()) {
            if (e.getKey().equals("page") || e.getKey().equals("limit")) {
                continue;
            }
            sb.append(enc(e.getKey())).append('=').append(enc(e.getValue())).append('&');
        }
        return sb.append("page=").append(page).append("&limit=").append(limit).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]");
    }
}
