package io.amocrmetl.source;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.types.StructType;

/**
 * One partition: the tasks it reads in turn, the schema it reads (the required columns, then any
 * key or cursor column the reader needs for de-duplication), and its connection with its share of
 * the rate budget. No client inside: the reader opens one on the executor.
 *
 * @param width how many leading columns of {@code internal} Spark asked for
 */
record AmoPartition(String entity, StructType internal, int width, List<ReadTask> tasks, Connection connection,
                    long accountId) implements InputPartition {

    @Override
    public String toString() {
        return "AmoPartition[" + entity + ", " + tasks.size() + " tasks, " + connection + "]";
    }
}
