package io.amocrmetl.source;

import io.amocrmetl.api.AmoClient;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.ItemReader;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one {@link ReadTask} page by page, Spark-free: each {@link #nextPage()} makes one request
 * (a check may make a few) and returns that page's rows, owned by the task's window and never seen
 * before in this task. Which rows a task owns is decided by the cursor, so windows whose requests
 * overlap by a second never hand out a row twice (docs/lakehouse.md). How the task pages follows
 * its mode: {@link KeysetSweep} and {@link PagedWindow} each say why they stay right while the
 * account changes (docs/conventions.md: rows skipped when the cursor moves mid-sync).
 */
final class WindowReader {
    /** At most this many reads of one window or dense second: the first and two re-reads. */
    static final int MAX_PASSES = 3;

    private final Paging paging;

    WindowReader(
            AmoClient client,
            EntitySpec spec,
            ItemReader items,
            StructType internal,
            ReadTask task,
            Map<String, Object> context,
            ReadStats stats,
            BoundReadings bounds) {
        PageFetcher pages = new PageFetcher(client, spec, items, internal, task, context, stats, bounds);
        this.paging = switch (task.mode()) {
            case KEYSET, KEYSET_IMS -> new KeysetSweep(pages);
            case PAGED -> new PagedWindow(pages);
            case IDS -> new IdBatches(pages);
            case LIST -> new WholeList(pages);
            case OBJECT -> new SingleObject(pages);
        };
    }

    /** The next page's new rows (possibly none), or null when the task is done. */
    List<InternalRow> nextPage() {
        return paging.done() ? null : paging.step();
    }
}
