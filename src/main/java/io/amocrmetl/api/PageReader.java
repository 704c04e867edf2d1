package io.amocrmetl.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one HAL page (docs/amocrm-api.md §3.2) from the response stream: {@code _links.next.href}, and
 * each item of {@code _embedded.<name>} handed to the consumer as it is parsed. Items are checked
 * against the request's filters as they pass.
 */
final class PageReader {
    static final JsonFactory JSON = new JsonFactory();

    /** What one page held: the next link (or null), the item count, and a hash of its ids. */
    record Outcome(String next, int items, long idsHash) {}

    private PageReader() {}

    /**
     * @throws IOException when the body is cut short or is not JSON (the caller retries)
     * @throws AmoApiException when an item breaks the page check (never retried)
     */
    static Outcome read(InputStream body, String embedded, PageConsumer consumer, PageCheck check, String what)
            throws IOException {
        String next = null;
        int items = 0;
        long hash = 1125899906842597L;
        var fields = check.fields();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "a page must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("_links") && value == JsonToken.START_OBJECT) {
                    next = nextLink(p);
                } else if (name.equals("_embedded") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String list = p.currentName();
                        if (p.nextToken() == JsonToken.START_ARRAY && list.equals(embedded)) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                ItemWatcher item = new ItemWatcher(p, fields);
                                consumer.item(item);
                                item.finish();
                                PageCheck.Violation bad = check.violation(item.seen());
                                if (bad != null) {
                                    throw new FilterIgnoredException(
                                            what + ": item id " + item.seen().get("id")
                                                    + " breaks the request's filter: " + bad.text()
                                                    + ". The server ignored the filter; "
                                                    + "this happens when the account's API filters are off (is_api_filter_enabled, "
                                                    + "docs/amocrm-api.md §4.2). Stopped here instead of reading the whole account.",
                                            bad.field());
                                }
                                hash = hash * 31
                                        + String.valueOf(item.seen().get("id")).hashCode();
                                items++;
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new JsonParseException(p, "the page does not end as a JSON object");
            }
        }
        return new Outcome(next, items, hash);
    }

    private static String nextLink(JsonParser p) throws IOException {
        String next = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String rel = p.currentName();
            if (p.nextToken() == JsonToken.START_OBJECT && rel.equals("next")) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("href")) {
                        next = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return next;
    }
}
