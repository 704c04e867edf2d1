package io.amocrmetl.sandbox.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * amoCRM's rate limit as the client meets it (docs/amocrm-api.md §5): at most N request starts in any
 * sliding 1 s window, then 429 problem+json with {@code retry_after}; K 429s inside a window
 * block the caller, after which every request gets a 403 nginx HTML page for a cool-down. Every
 * arrival counts, refused ones included, since the server counts what reaches it. All limits can
 * be changed while the sandbox runs.
 */
public final class RateLimits {
    /** Request starts allowed in any sliding second (7 in reality, docs/amocrm-api.md §5.1). */
    public volatile int requestsPerSecond = 7;
    /**
     * The sliding window {@link #requestsPerSecond} applies to: one second in reality. Tests of
     * a fixed sequence of answers widen it, so that a loaded machine's slow sequence still falls
     * inside one window.
     */
    public volatile long windowMillis = 1_000;
    /** The {@code retry_after} a 429 carries: 300 s in reality (docs/amocrm-api.md §5.2); tests make it short. */
    public volatile int retryAfterSeconds = 300;
    /** How many 429s within {@link #blockWindowMillis} bring the block. */
    public volatile int blockAfter429s = 20;

    public volatile long blockWindowMillis = 60_000;
    /** How long the block lasts; in reality until support lifts it (docs/amocrm-api.md §5.2). */
    public volatile long blockCooldownMillis = 3_600_000;
    /**
     * Where a 429 says when to come back: amoCRM's documented JSON {@code retry_after} (the
     * default), the HTTP {@code Retry-After} header (seconds, or a date), or nowhere. Sources
     * differ, so the client must read each (docs/amocrm-api.md §5.2).
     */
    public volatile RetryHint retryHint = RetryHint.BODY;

    /** Where a 429 carries its wait. */
    public enum RetryHint {
        BODY,
        HEADER_SECONDS,
        HEADER_DATE,
        NONE
    }

    /** Off only for benchmarks that measure the sandbox itself. */
    public volatile boolean enabled = true;

    /** What to do with one arrival. */
    public enum Verdict {
        PASS,
        LIMITED,
        BLOCKED
    }

    /** Arrival times, ascending whatever order they were judged in. */
    private final SortedTimes arrivals = new SortedTimes();

    private final SortedTimes refusals = new SortedTimes();
    /** The latest arrival judged so far: what "now" is for forgetting old arrivals. */
    private long latestNanos;

    private boolean any;
    private long blockedUntilNanos = Long.MIN_VALUE;
    private final AtomicLong limited = new AtomicLong();
    private final AtomicLong blocked = new AtomicLong();

    /**
     * Judges a request that arrived at {@code nanos} (System.nanoTime, taken when its request
     * started, the time the request log shows). Connection threads take that time before they
     * reach this lock, so arrivals can be judged out of time order. Arrivals are therefore kept
     * sorted, and an arrival passes only if every sliding second that contains it held fewer
     * than N earlier-judged arrivals: in time order that is the usual "(t - 1 s, t]" count, and
     * out of order it still keeps every second of the log at N served or fewer (docs/amocrm-api.md §5.1). An
     * arrival judged more than a second after later ones is counted against what is kept (two
     * seconds back from the latest).
     */
    public synchronized Verdict admit(long nanos) {
        if (!enabled) {
            return Verdict.PASS;
        }
        if (blockedUntilNanos != Long.MIN_VALUE && nanos - blockedUntilNanos < 0) {
            blocked.incrementAndGet();
            return Verdict.BLOCKED;
        }
        if (!any || nanos - latestNanos > 0) {
            latestNanos = nanos;
            any = true;
        }
        long window = windowMillis * 1_000_000L;
        arrivals.dropUpTo(latestNanos - 2 * window);
        boolean pass = arrivals.busiestSecondAround(nanos, window) < requestsPerSecond;
        arrivals.add(nanos);
        if (pass) {
            return Verdict.PASS;
        }
        limited.incrementAndGet();
        refusals.dropUpTo(latestNanos - blockWindowMillis * 1_000_000L);
        refusals.add(nanos);
        if (refusals.size() >= blockAfter429s) {
            blockedUntilNanos = latestNanos + blockCooldownMillis * 1_000_000L;
            refusals.clear();
        }
        return Verdict.LIMITED;
    }

    /**
     * System.nanoTime values in ascending order (compared by difference, as nanoTime requires).
     * Inserts search from the tail, since nearly every arrival is the latest.
     */
    static final class SortedTimes {
        private long[] a = new long[64];
        private int head;
        private int size;

        int size() {
            return size;
        }

        void clear() {
            head = 0;
            size = 0;
        }

        void add(long t) {
            if (head + size == a.length) {
                if (size * 2 > a.length) {
                    a = Arrays.copyOf(a, a.length * 2);
                }
                System.arraycopy(a, head, a, 0, size);
                head = 0;
            }
            int i = head + size;
            while (i > head && a[i - 1] - t > 0) {
                a[i] = a[i - 1];
                i--;
            }
            a[i] = t;
            size++;
        }

        /** Forgets every time at or before {@code t}. */
        void dropUpTo(long t) {
            while (size > 0 && a[head] - t <= 0) {
                head++;
                size--;
            }
        }

        /** How many times are at or before {@code t}. */
        private int countUpTo(long t) {
            int lo = head;
            int hi = head + size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] - t <= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo - head;
        }

        /**
         * The most times in any window (y - width, y] that contains {@code t}, i.e. for y in
         * [t, t + width). The count only rises where a time enters, so y = t and y = each time
         * in (t, t + width) are the only candidates.
         */
        int busiestSecondAround(long t, long width) {
            int best = countUpTo(t) - countUpTo(t - width);
            for (int i = head + countUpTo(t); i < head + size && a[i] - (t + width) < 0; i++) {
                best = Math.max(best, countUpTo(a[i]) - countUpTo(a[i] - width));
            }
            return best;
        }
    }

    /** Whether the block is on now. */
    public synchronized boolean isBlocked() {
        return blockedUntilNanos != Long.MIN_VALUE && System.nanoTime() - blockedUntilNanos < 0;
    }

    /** Lifts a block and forgets past arrivals (what support does, docs/amocrm-api.md §5.2). */
    public synchronized void reset() {
        arrivals.clear();
        refusals.clear();
        any = false;
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

    HttpResponse tooMany(long nowMillis) {
        int retryAfter = retryAfterSeconds;
        return switch (retryHint) {
            case BODY ->
                new HttpResponse(429, Problems.TYPE, Json.write(g -> {
                    g.writeStartObject();
                    g.writeStringField("title", "Too Many Requests");
                    g.writeStringField("type", "https://httpstatus.es/429");
                    g.writeNumberField("status", 429);
                    g.writeStringField("detail", "Too many requests, try again later");
                    g.writeNumberField("retry_after", retryAfter);
                    g.writeEndObject();
                }));
            case HEADER_SECONDS ->
                HttpResponse.text(429, "text/plain", "Too Many Requests")
                        .header("Retry-After", String.valueOf(retryAfter));
            case HEADER_DATE ->
                HttpResponse.text(429, "text/plain", "Too Many Requests")
                        .header(
                                "Retry-After",
                                DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(nowMillis)
                                        .plusSeconds(retryAfter)
                                        .atZone(ZoneOffset.UTC)));
            case NONE -> HttpResponse.text(429, "text/plain", "Too Many Requests");
        };
    }

    /** The block page: nginx HTML, not JSON (docs/amocrm-api.md §5.2, amocrm-api-php issue 434). */
    static HttpResponse blockPage() {
        return HttpResponse.text(
                403,
                "text/html",
                "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
                        + "<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    }
}
