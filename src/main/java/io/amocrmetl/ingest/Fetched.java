package io.amocrmetl.ingest;

import io.amocrmetl.state.Journal;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A table's read, materialised (a local checkpoint) and waiting to be written: the unit the
 * ingest pipeline hands from its one fetcher to its writers, so that one table's Delta commits
 * overlap the next table's requests while only one scan at a time spends the rate budget.
 *
 * @param window the cursor window read, or null for a whole (reference) read
 */
record Fetched(String table, Dataset<Row> rows, Journal.Entry entry, IngestWindow window, long startedNanos) {
}
