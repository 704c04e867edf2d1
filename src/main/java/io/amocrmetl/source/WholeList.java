package io.amocrmetl.source;

import io.amocrmetl.api.ListRequest;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;

/** {@link ReadTask.Mode#LIST}: a whole list by its next links (reference data). */
final class WholeList implements Paging {
    private final PageFetcher pages;
    private boolean done;
    private String next;
    private int page;
    private long[] previous = {0, -1};

    WholeList(PageFetcher pages) {
        this.pages = pages;
    }

    @Override
    public boolean done() {
        return done;
    }

    @Override
    public List<InternalRow> step() {
        ListRequest req = pages.base();
        boolean first = next == null;
        page = first ? 1 : page + 1;
        PageFetcher.Fetched f = pages.fetch(
                req, first ? req.pathAndQuery() : next, page, first ? (previous = new long[] {0, -1}) : previous);
        next = f.next();
        done = next == null;
        return f.rows();
    }
}
