package io.amocrmetl.webhooks;

import java.util.concurrent.CompletableFuture;

/**
 * Where the receiver stores accepted deliveries before it answers (docs/webhooks.md: durable
 * landing). {@link #land} completes once the record is on disk (fsync'ed) or in the object store;
 * only then does the sender get its 2xx.
 */
interface Landing extends AutoCloseable {
    CompletableFuture<Void> land(byte[] payload);

    /** One line for the start banner and the health endpoint. */
    String describe();

    /** The last write's failure, or null when the landing works. */
    String failure();

    /** Records stored since start. */
    long landed();

    /** Stops taking records, stores what is queued, and leaves every file ready for ingest. */
    @Override
    void close();
}
