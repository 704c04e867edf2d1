package io.amocrmetl.source;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;

/** {@link ReadTask.Mode#OBJECT}: one object ({@code /api/v4/account}), one request. */
final class SingleObject implements Paging {
    private final PageFetcher pages;
    private boolean done;

    SingleObject(PageFetcher pages) {
        this.pages = pages;
    }

    @Override
    public boolean done() {
        return done;
    }

    @Override
    public List<InternalRow> step() {
        ReadTask task = pages.task;
        String query = task.params().isEmpty()
                ? ""
                : "?"
                        + String.join(
                                "&",
                                task.params().stream()
                                        .map(p -> p[0] + "=" + p[1])
                                        .toList());
        done = true;
        return pages.object(task.path() + query);
    }
}
