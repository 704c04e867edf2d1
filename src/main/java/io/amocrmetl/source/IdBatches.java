package io.amocrmetl.source;

import io.amocrmetl.api.ListRequest;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;

/** {@link ReadTask.Mode#IDS}: the task's ids by {@code filter[id][]}, a batch at a time, each batch by its next links. */
final class IdBatches implements Paging {
    /** At most this many ids in one {@code filter[id][]} request, keeping the URL short. */
    static final int ID_BATCH = 100;

    private final PageFetcher pages;
    private boolean done;
    private int batch;
    private String next;
    private int page;
    private long[] previous = {0, -1};

    IdBatches(PageFetcher pages) {
        this.pages = pages;
    }

    @Override
    public boolean done() {
        return done;
    }

    @Override
    public List<InternalRow> step() {
        List<String> ids = pages.task.ids();
        int batches = (ids.size() + ID_BATCH - 1) / ID_BATCH;
        if (batch >= batches) {
            done = true;
            return List.of();
        }
        List<String> part = ids.subList(batch * ID_BATCH, Math.min(ids.size(), (batch + 1) * ID_BATCH));
        ListRequest req = pages.base().in("id", part);
        boolean first = next == null;
        page = first ? 1 : page + 1;
        PageFetcher.Fetched f = pages.fetch(
                req, first ? req.pathAndQuery() : next, page, first ? (previous = new long[] {0, -1}) : previous);
        next = f.next();
        if (next == null) {
            batch++;
            done = batch >= batches;
        }
        return f.rows();
    }
}
