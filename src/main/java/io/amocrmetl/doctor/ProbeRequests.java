package io.amocrmetl.doctor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.ListRequest;
import io.amocrmetl.api.PageConsumer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The probe's requests, counted against its budget: every call spends one request first, and
 * throws {@link OutOfBudget} once the budget is gone, so no probe can overspend.
 */
final class ProbeRequests {
    private final AmoClient client;
    private final int budget;
    private int spent;

    /** The probe's request budget ran out: the findings left stay unknown. */
    static final class OutOfBudget extends RuntimeException {
        OutOfBudget() {
            super(null, null, false, false);
        }
    }

    /** One page of a list: each item's top-level scalars as text, and the next page's link. */
    record Page(List<Map<String, String>> items, String next) {}

    ProbeRequests(AmoClient client, int budget) {
        this.client = client;
        this.budget = budget;
    }

    int spent() {
        return spent;
    }

    /** One page of a list, each item's top-level scalars as text; 204 is an empty page. */
    Page list(String path, String embedded, int limit, Map<String, String> params, Long ifModifiedSince) {
        ListRequest req = new ListRequest(path, embedded, limit);
        params.forEach(req::param);
        if (ifModifiedSince != null) {
            req.ifModifiedSince(ifModifiedSince);
        }
        spend();
        List<Map<String, String>> items = new ArrayList<>();
        AmoClient.ListPage page = client.page(
                req,
                req.pathAndQuery(),
                1,
                new PageConsumer() {
                    private int mark;

                    @Override
                    public void beginPage(int n) {
                        mark = items.size();
                    }

                    @Override
                    public void item(JsonParser p) throws IOException {
                        Map<String, String> item = new HashMap<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if (v.isScalarValue()) {
                                item.put(f, v == JsonToken.VALUE_NULL ? null : p.getText());
                            } else {
                                p.skipChildren();
                            }
                        }
                        items.add(item);
                    }

                    @Override
                    public void abortPage(int n) {
                        items.subList(mark, items.size()).clear();
                    }
                },
                new long[] {0, -1});
        return new Page(items, page.next());
    }

    /** One entity by its path and id, or null when it is gone. */
    JsonNode object(String path) {
        spend();
        return client.getObject(path);
    }

    private void spend() {
        if (spent >= budget) {
            throw new OutOfBudget();
        }
        spent++;
    }

    /** A scalar of an item as a whole number, or null when absent or not a number. */
    static Long number(Map<String, String> item, String field) {
        String v = item.get(field);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
