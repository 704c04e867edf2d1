package io.amocrmetl.api;

import java.util.concurrent.atomic.AtomicLong;

/** What the journal records of a client's work (docs/api-client.md: metrics). */
public final class ClientMetrics {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong tooManyRequests = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong refreshes = new AtomicLong();
    final AtomicLong pages = new AtomicLong();

    public long requests() {
        return requests.get();
    }

    public long retries() {
        return retries.get();
    }

    public long tooManyRequests() {
        return tooManyRequests.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public long refreshes() {
        return refreshes.get();
    }

    public long pages() {
        return pages.get();
    }

    @Override
    public String toString() {
        return "requests=" + requests + " retries=" + retries + " 429s=" + tooManyRequests + " bytes=" + bytes
                + " refreshes=" + refreshes + " pages=" + pages;
    }
}
