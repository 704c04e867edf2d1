package io.amocrmetl.source;

import io.amocrmetl.api.FilterIgnoredException;
import io.amocrmetl.api.ListRequest;
import io.amocrmetl.catalog.Columns;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ReadTask.Mode#KEYSET} and {@link ReadTask.Mode#KEYSET_IMS}: asks for page 1 of "cursor ≥
 * last second seen", ordered by the cursor, every time, so a row that moves cannot shift a later
 * row out of view. Until the API's bound readings are known ({@link BoundReadings};
 * docs/amocrm-api.md §9 leaves them undocumented) bounds go one second wide, which is right under
 * both. A second holding more than a page is read by page number, exactly (the readings are probed
 * then if still unknown), and checked as {@link PagedWindow} is.
 */
final class KeysetSweep implements Paging {
    private static final Logger LOG = LoggerFactory.getLogger(KeysetSweep.class);

    private final PageFetcher pages;
    private final ReadTask task;
    private final BoundReadings bounds;
    private final ReadStats stats;
    private final String c;
    private ReadTask.Mode mode;
    private boolean done;
    /** Every second before this one has been read whole. */
    private long lo;
    /** The dense second being read by page number, or null. */
    private Long narrow;

    private String narrowNext;
    private int narrowPage;
    private int narrowPasses;
    private Instant narrowStart;
    private final Set<Object> narrowKeys = new HashSet<>();
    private long[] previous = {0, -1};

    KeysetSweep(PageFetcher pages) {
        this.pages = pages;
        this.task = pages.task;
        this.bounds = pages.bounds;
        this.stats = pages.stats;
        this.c = pages.spec.cursor().field;
        this.mode = task.mode();
        this.lo = task.from() == null ? 0 : task.from();
    }

    @Override
    public boolean done() {
        return done;
    }

    @Override
    public List<InternalRow> step() {
        return narrow != null ? narrowStep() : keysetStep();
    }

    private List<InternalRow> keysetStep() {
        long sentFrom = mode == ReadTask.Mode.KEYSET ? bounds.from(lo) : lo - 1;
        boolean lowerBound = task.from() != null || lo > 0;
        ListRequest req = pages.base().param("order[" + c + "]", "asc");
        if (mode == ReadTask.Mode.KEYSET) {
            req.range(c, lowerBound ? sentFrom : null, task.to() == null ? null : bounds.to(task.to()));
        } else if (lowerBound) {
            // If-Modified-Since is "changed after": one second early covers either reading.
            req.ifModifiedSince(sentFrom);
        }
        PageFetcher.Fetched f;
        try {
            f = pages.fetch(req, req.pathAndQuery(), pages.pagesRead() + 1, new long[] {0, -1});
        } catch (FilterIgnoredException e) {
            if (mode == ReadTask.Mode.KEYSET && e.field().equals(c) && c.equals(Columns.UPDATED_AT)) {
                // The account's API filters are off (docs/amocrm-api.md §4.2): fall back to
                // If-Modified-Since (§3.5), which the lists honour without them.
                LOG.warn(
                        "{}: the server ignored filter[{}] (API filters off for this account, docs/amocrm-api.md "
                                + "§4.2); reading by If-Modified-Since instead",
                        task.describe(),
                        c);
                stats.fallbacks++;
                mode = ReadTask.Mode.KEYSET_IMS;
                return List.of();
            }
            throw e;
        }
        LOG.debug(
                "{}: keyset page from {} (lo {}, {}): {} new rows, cursor {}..{}, next {}",
                task.describe(),
                sentFrom,
                lo,
                bounds,
                f.rows().size(),
                f.minCursor(),
                f.maxCursor(),
                f.next() != null);
        if (mode == ReadTask.Mode.KEYSET
                && lowerBound
                && bounds.fromInclusive == null
                && f.minCursor() != null
                && f.minCursor() == sentFrom
                && sentFrom < lo) {
            bounds.fromInclusive = true; // a row at the bound came back
        }
        if (f.next() == null
                || (mode == ReadTask.Mode.KEYSET_IMS
                        && task.to() != null
                        && f.maxCursor() != null
                        && f.maxCursor() > task.to())) {
            done = true;
            return f.rows();
        }
        long max = f.maxCursor() == null ? lo : f.maxCursor();
        boolean oneSecond = f.minCursor() != null && f.minCursor().equals(f.maxCursor());
        if (!oneSecond && max > lo) {
            lo = max; // every second before max was read whole
            return f.rows();
        }
        // A full page inside one second, or no progress: that second holds more than a page.
        if (mode == ReadTask.Mode.KEYSET && !bounds.known()) {
            probeBounds(max);
            if (max < lo) {
                return f.rows(); // the page was the second before lo, read again: now bounds are exact
            }
        }
        lo = Math.max(lo, max);
        narrow = max;
        narrowNext = null;
        narrowPage = 0;
        narrowPasses = 0;
        stats.narrowReads++;
        return f.rows();
    }

    /**
     * Learns whether [from] and [to] include their bound with one-row requests on second {@code x},
     * which has rows: [x, x] returns them only if both include it; [x-1, x] only if [to] does;
     * [x, x+1] only if [from] does.
     */
    private void probeBounds(long x) {
        if (bounds.fromInclusive == null || bounds.toInclusive == null) {
            boolean both = probe(x, x, x);
            if (both) {
                bounds.learn(true, true);
            } else {
                if (bounds.toInclusive == null) {
                    bounds.toInclusive = probe(x - 1, x, x);
                }
                if (bounds.fromInclusive == null) {
                    bounds.fromInclusive = bounds.toInclusive ? false : probe(x, x + 1, x);
                }
            }
            LOG.info(
                    "{}: the API's cursor bounds are {} (learnt with one-row requests on second {})",
                    task.describe(),
                    bounds,
                    x);
        }
    }

    /** Whether a one-row request for [from, to] returns a row at second {@code x}. */
    private boolean probe(long from, long to, long x) {
        ListRequest req = new ListRequest(task.path(), pages.spec.embedded(), 1)
                .param("order[" + c + "]", "asc")
                .param("filter[" + c + "][from]", String.valueOf(from))
                .param("filter[" + c + "][to]", String.valueOf(to));
        return pages.hasRowAt(req, x);
    }

    /** Second {@link #narrow} holds more than a page: read it by page number, then check it. */
    private List<InternalRow> narrowStep() {
        long s = narrow;
        ListRequest req = pages.base().param("order[" + c + "]", "asc");
        if (mode == ReadTask.Mode.KEYSET) {
            req.range(c, bounds.from(s), bounds.to(s));
        } else {
            req.ifModifiedSince(s - 1);
        }
        boolean first = narrowNext == null;
        narrowPage = first ? 1 : narrowPage + 1;
        if (first) {
            narrowKeys.clear();
            previous = new long[] {0, -1};
        }
        PageFetcher.Fetched f = pages.fetch(req, first ? req.pathAndQuery() : narrowNext, narrowPage, previous);
        if (first) {
            narrowStart = pages.client.lastServerDate();
        }
        narrowKeys.addAll(f.keys());
        boolean end =
                f.next() == null || (mode == ReadTask.Mode.KEYSET_IMS && f.maxCursor() != null && f.maxCursor() > s);
        if (!end) {
            narrowNext = f.next();
            return f.rows();
        }
        if (narrowPage > 1
                && narrowPasses + 1 < WindowReader.MAX_PASSES
                && ChangeCheck.changedDuring(pages, narrowStart, narrowKeys)) {
            narrowPasses++;
            stats.rereads++;
            narrowNext = null;
            return f.rows();
        }
        narrow = null;
        lo = s + 1;
        if (task.to() != null && lo > task.to()) {
            done = true;
        }
        return f.rows();
    }
}
