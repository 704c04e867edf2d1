package io.amocrmetl.source;

import io.amocrmetl.api.FilterIgnoredException;
import io.amocrmetl.api.ListRequest;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Cursor;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ReadTask.Mode#PAGED}: page numbers over the cursor window, for lists the API cannot order
 * by the cursor (tasks, notes, events, ...). A read of one page is atomic. A read of more pages can
 * lose a row if a row on an earlier page leaves the window meanwhile (an update moves it past the
 * window's end, a delete removes it), so after such a read {@link ChangeCheck} asks what changed
 * since the read began; if any of those rows had been seen in this read, the window is read again
 * (at most {@value WindowReader#MAX_PASSES} passes). Events never change, so an events window is
 * never re-read.
 */
final class PagedWindow implements Paging {
    private static final Logger LOG = LoggerFactory.getLogger(PagedWindow.class);

    private final PageFetcher pages;
    private final ReadTask task;
    private boolean done;
    private String next;
    private int page;
    private int passes;
    private Instant passStart;
    private final Set<Object> passKeys = new HashSet<>();
    private long[] previous = {0, -1};

    PagedWindow(PageFetcher pages) {
        this.pages = pages;
        this.task = pages.task;
    }

    @Override
    public boolean done() {
        return done;
    }

    @Override
    public List<InternalRow> step() {
        ListRequest req = windowRequest();
        boolean first = next == null;
        page = first ? 1 : page + 1;
        if (first) {
            passKeys.clear();
            previous = new long[] {0, -1};
        }
        PageFetcher.Fetched f;
        try {
            f = pages.fetch(req, first ? req.pathAndQuery() : next, page, previous);
        } catch (FilterIgnoredException e) {
            if (pages.isEvents() && !PageFetcher.eventsCommaForm && e.field().equals(Columns.CREATED_AT)) {
                LOG.warn(
                        "{}: the server ignored filter[created_at][from|to]; sending the comma form from,to "
                                + "(docs/amocrm-api.md §4.3)",
                        task.describe());
                PageFetcher.eventsCommaForm = true;
                pages.stats.fallbacks++;
                next = null;
                return List.of();
            }
            throw e;
        }
        if (first) {
            passStart = pages.client.lastServerDate();
        }
        passKeys.addAll(f.keys());
        if (f.next() != null) {
            next = f.next();
            return f.rows();
        }
        next = null;
        if (page > 1
                && passes + 1 < WindowReader.MAX_PASSES
                && mayShift()
                && ChangeCheck.changedDuring(pages, passStart, passKeys)) {
            passes++;
            pages.stats.rereads++;
            LOG.info(
                    "{}: a row seen on an earlier page changed during the read; reading the window again "
                            + "(pass {} of {})",
                    task.describe(),
                    passes + 1,
                    WindowReader.MAX_PASSES);
            return f.rows();
        }
        done = true;
        return f.rows();
    }

    /** Whether rows can leave this window while it is read (events never change). */
    private boolean mayShift() {
        return pages.spec.cursor() == Cursor.UPDATED_AT && !pages.isEvents();
    }

    /** The window's first-page request: the cursor range one second wider on each side. */
    private ListRequest windowRequest() {
        ListRequest req = pages.base();
        if (pages.spec.cursor() == Cursor.NONE) {
            return req;
        }
        // Events' created_at bounds are a separate filter of their own (docs/amocrm-api.md §4.3):
        // always one second wider.
        boolean events = pages.isEvents();
        BoundReadings bounds = pages.bounds;
        Long from = task.from() == null ? null : events ? task.from() - 1 : bounds.from(task.from());
        Long to = task.to() == null ? null : events ? task.to() + 1 : bounds.to(task.to());
        if (from == null && to == null) {
            return req;
        }
        if (events && PageFetcher.eventsCommaForm) {
            req.param("filter[created_at]", (from == null ? 0 : from) + (to == null ? "" : "," + to));
            req.checkRange(Columns.CREATED_AT, from, to);
        } else {
            req.range(pages.spec.cursor().field, from, to);
        }
        return req;
    }
}
