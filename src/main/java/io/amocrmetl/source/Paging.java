package io.amocrmetl.source;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * How a task of one {@link ReadTask.Mode} pages its endpoint, a request at a time (a check may
 * make a few): {@link KeysetSweep}, {@link PagedWindow}, {@link IdBatches}, {@link WholeList},
 * {@link SingleObject}. Rows come from a {@link PageFetcher}, which hands each out once.
 */
interface Paging {
    /** The next page's new rows (possibly none); called only while not {@link #done()}. */
    List<InternalRow> step();

    /** Whether the task is read whole. */
    boolean done();
}
