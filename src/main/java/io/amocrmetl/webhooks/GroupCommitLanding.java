package io.amocrmetl.webhooks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One writer thread stores what the request threads hand it, in batches: whatever queued while
 * the previous write and fsync ran goes into the next one (group commit), so a burst of deliveries
 * costs a few fsyncs, not one each, and every sender still waits for its own record to be durable.
 */
abstract class GroupCommitLanding implements Landing {
    static final int MAX_BATCH = 512;
    static final int MAX_BATCH_BYTES = 1 << 20;
    static final int QUEUE = 4096;
    /** How often an idle writer looks whether a file is due for rotation. */
    static final long TICK_MILLIS = 200;

    private record Pending(byte[] payload, CompletableFuture<Void> done) {}

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE);
    private final AtomicLong landed = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;
    private volatile String failure;
    private volatile boolean started;
    /** The writer died of an Error: nothing will land any more. */
    private volatile boolean stopped;

    GroupCommitLanding() {
        writer = new Thread(this::loop, "webhook-landing");
        writer.setDaemon(true);
    }

    /** Starts the writer; subclasses call it once their files are ready. */
    final void start() {
        writer.start();
        started = true;
    }

    /** Stores a batch durably, all or nothing from the senders' view (a failed batch fails every record in it). */
    abstract void write(List<byte[]> payloads) throws IOException;

    /** Called when nothing is queued (rotation by age). */
    abstract void idle() throws IOException;

    /** Called once after the last write, on the writer thread. */
    abstract void finish() throws IOException;

    @Override
    public final CompletableFuture<Void> land(byte[] payload) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closing) {
            done.completeExceptionally(new IOException("the receiver is stopping"));
        } else if (payload.length > Frames.MAX_PAYLOAD) {
            done.completeExceptionally(new IOException("record too large"));
        } else if (writerStopped()) {
            done.completeExceptionally(new IOException("the landing writer stopped"));
        } else {
            Pending pending = new Pending(payload, done);
            if (!queue.offer(pending)) {
                done.completeExceptionally(new IOException("the landing queue is full"));
            } else if (writerStopped() && queue.remove(pending)) {
                // It died between the check and the offer: nobody would ever take this one.
                done.completeExceptionally(new IOException("the landing writer stopped"));
            }
        }
        return done;
    }

    private void loop() {
        try {
            serve();
        } catch (Throwable t) { // an Error (out of memory, a linkage problem) must not leave /health green
            failure = "the landing writer stopped: " + t;
            stopped = true;
            Pending left;
            while ((left = queue.poll()) != null) {
                left.done().completeExceptionally(new IOException("the landing writer stopped: " + t));
            }
            throw t;
        }
    }

    private void serve() {
        while (true) {
            Pending first;
            try {
                first = queue.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first == null) {
                if (closing) {
                    break;
                }
                try {
                    idle();
                } catch (IOException | RuntimeException e) {
                    failure = e.toString();
                }
                continue;
            }
            List<Pending> batch = new ArrayList<>();
            batch.add(first);
            long bytes = first.payload().length;
            Pending p;
            while (batch.size() < MAX_BATCH && bytes < MAX_BATCH_BYTES && (p = queue.poll()) != null) {
                batch.add(p);
                bytes += p.payload().length;
            }
            List<byte[]> payloads = new ArrayList<>(batch.size());
            batch.forEach(x -> payloads.add(x.payload()));
            try {
                write(payloads);
                failure = null;
                landed.addAndGet(batch.size());
                batch.forEach(x -> x.done().complete(null));
            } catch (IOException | RuntimeException e) {
                failure = e.toString();
                batch.forEach(x -> x.done().completeExceptionally(e));
            } catch (Error e) {
                failure = "the landing writer stopped: " + e;
                stopped = true;
                batch.forEach(x -> x.done().completeExceptionally(e));
                throw e;
            }
        }
        try {
            finish();
        } catch (IOException | RuntimeException e) {
            failure = e.toString();
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IOException("the receiver stopped"));
        }
    }

    private boolean writerStopped() {
        return stopped || (started && !closing && !writer.isAlive());
    }

    @Override
    public final String failure() {
        if (started && !closing && !writer.isAlive()) {
            // Nothing lands any more: every delivery would time out, so /health must say so.
            return failure != null ? failure : "the landing writer stopped";
        }
        return failure;
    }

    @Override
    public final long landed() {
        return landed.get();
    }

    @Override
    public void close() {
        closing = true;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A file or object name that sorts by creation time across restarts and never repeats. */
    static String name(long seq, String suffix) {
        return String.format(
                "%013d-%06d-%08x%s",
                System.currentTimeMillis(), seq, ThreadLocalRandom.current().nextInt(), suffix);
    }
}
