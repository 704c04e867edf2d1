package io.amocrmetl.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.amocrmetl.api.ListRequest;
import io.amocrmetl.api.PageConsumer;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.Tables;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cheap pass after a read of several pages: whether any row it saw changed (or, for an entity
 * with a deletion event, was deleted) since the read began. A read by page numbers can lose a row when a row on an earlier
 * page leaves the window meanwhile; this asks only for what changed since, so the window is read
 * again just when it must be.
 */
final class ChangeCheck {
    private ChangeCheck() {}

    /** Whether any row in {@code keys} changed (or was deleted, where an event says so) since {@code start}. */
    static boolean changedDuring(PageFetcher pages, Instant start, Set<Object> keys) {
        if (start == null || keys.isEmpty()) {
            return false;
        }
        long since = start.getEpochSecond() - 1;
        ListRequest changed = pages.base().range(Columns.UPDATED_AT, since, null);
        List<Object> hits = new ArrayList<>(pages.keys(changed));
        Optional<String> deletionEvent = EntityFacts.pagedDeletionEvent(pages.spec.name());
        if (deletionEvent.isPresent()) {
            ListRequest deleted = ListRequest.of(
                            Entities.get(Tables.EVENTS).path(),
                            Entities.get(Tables.EVENTS).embedded())
                    .in("type", List.of(deletionEvent.get()));
            if (PageFetcher.eventsCommaForm) {
                deleted.param("filter[created_at]", String.valueOf(since));
            } else {
                deleted.range(Columns.CREATED_AT, since, null);
            }
            pages.client.walk(deleted, new PageConsumer() {
                @Override
                public void item(JsonParser p) throws IOException {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        if (field.equals(Columns.ENTITY_ID) && p.currentToken().isNumeric()) {
                            hits.add(p.getLongValue());
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            });
        }
        pages.stats.checks++;
        for (Object k : hits) {
            if (keys.contains(k)) {
                return true;
            }
        }
        return false;
    }
}
