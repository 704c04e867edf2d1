package io.amocrmetl.sandbox.http;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * amoCRM's rate limit as the client meets it (reference §5): at most N request starts in any
 * sliding 1 s window, then 429 problem+json with {@code retry_after}; K 429s inside a window
 * block the caller, after which every request gets a 403 nginx HTML page for a cool-down. Every
 * arrival counts, refused ones included, since the server counts what reaches it. All limits can
 * be changed while the sandbox runs.
 */
public final class RateLimits {
    /** Request starts allowed in any sliding second (7 in reality, §5.1). */
    public volatile int requestsPerSecond = 7;
    /** The {@code retry_after} a 429 carries: 300 s in reality (§5.2); tests make it short. */
    public volatile int retryAfterSeconds = 300;
    /** How many 429s within {@link #blockWindowMillis} bring the block. */
    public volatile int blockAfter429s = 20;
    public volatile long blockWindowMillis = 60_000;
    /** How long the block lasts; in reality until support lifts it (§5.2). */
    public volatile long blockCooldownMillis = 3_600_000;
    /** Off only for benchmarks that measure the sandbox itself. */
    public volatile boolean enabled = true;

    /** What to do with one arrival. */
    public enum Verdict { PASS, LIMITED, BLOCKED }

    private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
    private final ArrayDeque<Long> refusals = new ArrayDeque<>();
    private long blockedUntilNanos = Long.MIN_VALUE;
    private final AtomicLong limited = new AtomicLong();
    private final AtomicLong blocked = new AtomicLong();

    /** Judges a request that arrived at {@code nanos} (System.nanoTime). */
    public synchronized Verdict admit(long nanos) {
        if (!enabled) {
            return Verdict.PASS;
        }
        if (blockedUntilNanos != Long.MIN_VALUE && nanos - blockedUntilNanos < 0) {
            blocked.incrementAndGet();
            return Verdict.BLOCKED;
        }
        while (!arrivals.isEmpty() && nanos - arrivals.peekFirst() >= 1_000_000_000L) {
            arrivals.pollFirst();
        }
        arrivals.addLast(nanos);
        if (arrivals.size() <= requestsPerSecond) {
            return Verdict.PASS;
        }
        limited.incrementAndGet();
        long window = blockWindowMillis * 1_000_000L;
        while (!refusals.isEmpty() && nanos - refusals.peekFirst() >= window) {
            refusals.pollFirst();
        }
        refusals.addLast(nanos);
        if (refusals.size() >= blockAfter429s) {
            blockedUntilNanos = nanos + blockCooldownMillis * 1_000_000L;
            refusals.clear();
        }
        return Verdict.LIMITED;
    }

    /** Whether the block is on now. */
    public synchronized boolean isBlocked() {
        return blockedUntilNanos != Long.MIN_VALUE && System.nanoTime() - blockedUntilNanos < 0;
    }

    /** Lifts a block and forgets past arrivals (what support does, §5.2). */
    public synchronized void reset() {
        arrivals.clear();
        refusals.clear();
        blockedUntilNanos = Long.MIN_VALUE;
    }

    /** 429s answered so far. */
    public long limitedCount() {
        return limited.get();
    }

    /** Block 403s answered so far. */
    public long blockedCount() {
        return blocked.get();
    }

    static HttpResponse tooMany(int retryAfter) {
        return new HttpResponse(429, Problems.TYPE, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("title", "Too Many Requests");
            g.writeStringField("type", "https://httpstatus.es/429");
            g.writeNumberField("status", 429);
            g.writeStringField("detail", "Too many requests, try again later");
            g.writeNumberField("retry_after", retryAfter);
            g.writeEndObject();
        }));
    }

    /** The block page: nginx HTML, not JSON (reference §5.2, amocrm-api-php issue 434). */
    static HttpResponse blockPage() {
        return HttpResponse.text(403, "text/html", "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
                + "<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    }
}
