package io.amocrmetl.sandbox.http;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for {@code /api/v4} and {@code /oauth2} requests. Each rule names an endpoint
 * and counts the requests it matched, so "the 3rd page of /api/v4/leads" is exact and needs no
 * sleeps. A rule for {@code /api/v4/leads} matches that list and one record under it
 * ({@code /api/v4/leads/123}), never a sub-resource such as {@code /api/v4/leads/pipelines} or
 * {@code /api/v4/leads/notes}: a run reads those first, so a prefix match would put "the 1st
 * leads page" on a reference table. Rules stay until {@link #clear()}.
 */
public final class Faults {
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final SplittableRandom random;

    private Faults(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Share-based faults draw from a seeded generator, so a run repeats. */
    public static Faults seeded(long seed) {
        return new Faults(seed);
    }

    /** What a rule does to a matching request. */
    enum Kind {
        STATUS,
        DELAY,
        CUT,
        MALFORMED,
        RESET,
        HOLD,
        MUTATE,
        IGNORE_PAGE,
        LATE
    }

    static final class Rule {
        final String endpoint;
        final Kind kind;
        final int nth;
        final double share;
        final int status;
        final long delayMillis;
        final Hold hold;
        final Runnable mutation;
        final AtomicInteger seen = new AtomicInteger();

        Rule(
                String endpoint,
                Kind kind,
                int nth,
                double share,
                int status,
                long delayMillis,
                Hold hold,
                Runnable mutation) {
            this.endpoint = endpoint;
            this.kind = kind;
            this.nth = nth;
            this.share = share;
            this.status = status;
            this.delayMillis = delayMillis;
            this.hold = hold;
            this.mutation = mutation;
        }
    }

    /** A held request: the test waits until it is held, then releases it. */
    public static final class Hold {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        public boolean awaitHeld(long timeout, TimeUnit unit) throws InterruptedException {
            return held.await(timeout, unit);
        }

        public void release() {
            released.countDown();
        }

        void hold() {
            held.countDown();
            try {
                released.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Answers {@code status} (e.g. 502) to a share (0..1] of the requests on {@code endpoint}. */
    public Faults failShare(String endpoint, double share, int status) {
        rules.add(new Rule(endpoint, Kind.STATUS, 0, share, status, 0, null, null));
        return this;
    }

    /** Answers {@code status} to the nth request on {@code endpoint} (1-based; 0 = every one). */
    public Faults failNth(String endpoint, int nth, int status) {
        rules.add(new Rule(endpoint, Kind.STATUS, nth, 1, status, 0, null, null));
        return this;
    }

    /** Answers amoCRM's block page (a 403 in nginx HTML) to the nth request on {@code endpoint}: a block mid-read. */
    public Faults block(String endpoint, int nth) {
        return failNth(endpoint, nth, 403);
    }

    /** Answers 402 to everything on {@code endpoint}, as for customers on a plan without them. */
    public Faults paymentRequired(String endpoint) {
        return failNth(endpoint, 0, 402);
    }

    /** Delays every response on {@code endpoint}. */
    public Faults delay(String endpoint, long millis) {
        rules.add(new Rule(endpoint, Kind.DELAY, 0, 1, 0, millis, null, null));
        return this;
    }

    /** Sends half of the nth body on {@code endpoint} and closes the connection (0 = every one). */
    public Faults cutBody(String endpoint, int nth) {
        rules.add(new Rule(endpoint, Kind.CUT, nth, 1, 0, 0, null, null));
        return this;
    }

    /** Answers the nth request on {@code endpoint} with a complete HTTP 200 whose JSON is cut short. */
    public Faults malformedJson(String endpoint, int nth) {
        rules.add(new Rule(endpoint, Kind.MALFORMED, nth, 1, 0, 0, null, null));
        return this;
    }

    /** Resets the connection instead of answering the nth request on {@code endpoint}. */
    public Faults reset(String endpoint, int nth) {
        rules.add(new Rule(endpoint, Kind.RESET, nth, 1, 0, 0, null, null));
        return this;
    }

    /** Holds the nth request on {@code endpoint} until the returned handle releases it. */
    public Hold hold(String endpoint, int nth) {
        Hold h = new Hold();
        rules.add(new Rule(endpoint, Kind.HOLD, nth, 1, 0, 0, h, null));
        return h;
    }

    /**
     * Runs {@code mutation} after the nth page on {@code endpoint} is built and before it is sent,
     * so the next page sees the account changed mid-read.
     */
    public Faults mutateAfterPage(String endpoint, int nth, Runnable mutation) {
        rules.add(new Rule(endpoint, Kind.MUTATE, nth, 1, 0, 0, null, mutation));
        return this;
    }

    /**
     * The nth request on {@code endpoint} reaches the server {@code millis} after it was sent, as
     * over a slow network or from a stalled sender: it is counted, logged and rate-judged on arrival.
     */
    public Faults lateArrival(String endpoint, int nth, long millis) {
        rules.add(new Rule(endpoint, Kind.LATE, nth, 1, 0, millis, null, null));
        return this;
    }

    /** Serves page 1 whatever {@code page} asks for: a server that ignores paging. */
    public Faults ignorePaging(String endpoint) {
        rules.add(new Rule(endpoint, Kind.IGNORE_PAGE, 0, 1, 0, 0, null, null));
        return this;
    }

    public void clear() {
        rules.clear();
    }

    /** Whether a rule for {@code endpoint} applies to {@code path}: the endpoint itself, or one record under it. */
    static boolean applies(String endpoint, String path) {
        if (path.equals(endpoint)) {
            return true;
        }
        if (!path.startsWith(endpoint)
                || path.length() < endpoint.length() + 2
                || path.charAt(endpoint.length()) != '/') {
            return false;
        }
        return path.substring(endpoint.length() + 1).chars().allMatch(Character::isDigit);
    }

    /** Whether any rule applies to {@code path}, without counting the request. */
    boolean any(String path) {
        return rules.stream().anyMatch(r -> applies(r.endpoint, path));
    }

    /** How long this request's arrival is put off (a late-arrival rule), counting it for those rules. */
    long arrivalDelayMillis(String path) {
        long millis = 0;
        for (Rule r : rules) {
            if (r.kind == Kind.LATE && applies(r.endpoint, path)) {
                int n = r.seen.incrementAndGet();
                if (r.nth == 0 || r.nth == n) {
                    millis += r.delayMillis;
                }
            }
        }
        return millis;
    }

    /** Rules that apply to this request, counting it for each of them (late arrivals apart). */
    List<Rule> matching(String path) {
        List<Rule> out = new java.util.ArrayList<>();
        for (Rule r : rules) {
            if (r.kind == Kind.LATE || !applies(r.endpoint, path)) {
                continue;
            }
            int n = r.seen.incrementAndGet();
            boolean hit = r.nth == 0 || r.nth == n;
            if (hit && r.share < 1) {
                synchronized (random) {
                    hit = random.nextDouble() < r.share;
                }
            }
            if (hit) {
                out.add(r);
            }
        }
        return out;
    }
}
