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
 * @param fromInclusive the API's bound readings as the driver knows them (null: unknown)
 * @param withPid whether rows end with the reading process's id ({@code ReadOptions.READER_PID})
 * @param eventsPageSize the events page the account serves, when probed (null: the default)
 */
record AmoPartition(
        String entity,
        StructType internal,
        int width,
        List<ReadTask> tasks,
        Connection connection,
        long accountId,
        Boolean fromInclusive,
        Boolean toInclusive,
        boolean withPid,
        Integer eventsPageSize)
        implements InputPartition {

    AmoPartition(
            String entity,
            StructType internal,
            int width,
            List<ReadTask> tasks,
            Connection connection,
            long accountId) {
        this(entity, internal, width, tasks, connection, accountId, null, null, false, null);
    }

    @Override
    public String toString() {
        return "AmoPartition[" + entity + ", " + tasks.size() + " tasks, " + connection + "]";
    }
}
