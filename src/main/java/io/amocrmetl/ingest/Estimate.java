package io.amocrmetl.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.ListRequest;
import io.amocrmetl.api.PageConsumer;
import io.amocrmetl.api.PageSizes;
import io.amocrmetl.catalog.Cursor;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.config.EtlConfig;
import java.io.IOException;

/**
 * A historical load's estimate, printed before it starts (docs/historical-loads.md): one request per
 * table reads the first page of its newest window; a page with no next link gives that window's
 * rows exactly, a full one gives a density (keyset lists are ordered by the cursor, so the page's
 * span says how much of the window 250 rows cover). Every window is assumed as dense as the
 * newest, which usually over-estimates: recent data changes most.
 */
final class Estimate {
    private Estimate() {}

    /** Requests a table's remaining range will take, by sampling its newest first window. */
    static long requests(AmoClient client, String table, WindowSource windows, EtlConfig config) {
        if (!windows.hasNext()) {
            return 0;
        }
        EntitySpec spec = Entities.get(table);
        long range = windows.remainingSeconds();
        long first = config.ingest().window().getSeconds();
        if (spec.perCatalog() || spec.cursor() == Cursor.NONE) {
            return Math.max(1, range / first);
        }
        // The sample: the newest stretch of one first-window length.
        IngestWindow newest = new IngestWindow(0, 0, false);
        newest = sampleWindow(windows, first);
        String path = spec.endpoints().get(0).path();
        int limit = PageSizes.of(path);
        ListRequest sample = new ListRequest(path, spec.embedded(), limit)
                .param("filter[" + spec.cursor().field + "][from]", String.valueOf(newest.from() - 1))
                .param("filter[" + spec.cursor().field + "][to]", String.valueOf(newest.to() + 1));
        if (spec.keyset()) {
            sample.param("order[" + spec.cursor().field + "]", "asc");
        }
        long[] stats = {0, Long.MAX_VALUE, Long.MIN_VALUE}; // items, min cursor, max cursor
        String cursor = spec.cursor().field;
        AmoClient.ListPage page = client.page(
                sample,
                sample.pathAndQuery(),
                1,
                new PageConsumer() {
                    @Override
                    public void item(JsonParser p) throws IOException {
                        stats[0]++;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals(cursor) && p.currentToken().isNumeric()) {
                                stats[1] = Math.min(stats[1], p.getLongValue());
                                stats[2] = Math.max(stats[2], p.getLongValue());
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                },
                new long[] {0, -1});
        double rowsInSample;
        if (page.next() == null) {
            rowsInSample = stats[0];
        } else if (spec.keyset() && stats[2] > newest.from()) {
            rowsInSample = (double) stats[0] * (newest.to() - newest.from() + 1) / (stats[2] - newest.from() + 1);
        } else {
            rowsInSample = 2.0 * limit; // at least two pages; an unordered list says no more
        }
        double rows = rowsInSample * range / Math.max(1, newest.to() - newest.from() + 1);
        int endpoints = Math.max(1, spec.endpoints().size());
        long windowsNeeded = Math.max(1, Math.round(rows / config.ingest().windowRows()) + 1);
        return Math.round(Math.ceil(rows / limit) * endpoints + windowsNeeded * endpoints) + 1;
    }

    /** The newest first-window-long stretch of what is left to read. */
    private static IngestWindow sampleWindow(WindowSource windows, long length) {
        long[] range = windows.bounds();
        return new IngestWindow(Math.max(range[0], range[1] - length + 1), range[1], false);
    }
}
