package io.amocrmetl.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code webhooks serve}: the receiver (docs/webhooks.md). The JDK's HTTP server, no Spark, so it
 * starts in well under a second. It serves the destination's path (the secret, docs/amocrm-api.md §6.4)
 * and {@value #HEALTH}, and nothing else. A delivery must be a form-encoded POST (docs/amocrm-api.md §6.2) from the
 * configured account, within the size and field caps; it is parsed strictly, landed durably, and
 * only then answered 200, all inside amoCRM's 2 s (docs/amocrm-api.md §6.3). One log line per request, without the
 * secret path or the body.
 */
public final class Receiver implements AutoCloseable {
    static final String HEALTH = "/health";

    static {
        // The JDK server closes a connection whose request is not read within maxReqTime: a client
        // that dribbles its headers or body (slowloris) cannot hold a thread past amoCRM's 2 s.
        // Read once, when the server classes load: set before the first server of the JVM starts.
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "2"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "2"));
        System.setProperty(
                "sun.net.httpserver.timerMillis", System.getProperty("sun.net.httpserver.timerMillis", "250"));
        System.setProperty(
                "sun.net.httpserver.maxReqHeaders", System.getProperty("sun.net.httpserver.maxReqHeaders", "64"));
    }

    /**
     * @param destinationPath the raw path of {@code webhooks.destination}
     * @param maxBodyBytes larger bodies get 413 (a mass delete of a few thousand items fits)
     * @param maxFields more form fields get 400
     * @param landMillis how long a delivery may wait for its landing before it gets 503
     */
    public record Options(
            String destinationPath,
            String host,
            int port,
            AccountIdentity account,
            int maxBodyBytes,
            int maxFields,
            long landMillis) {
        public static Options defaults(String destinationPath, String host, int port, AccountIdentity account) {
            return new Options(destinationPath, host, port, account, 1 << 20, 20_000, 1500);
        }
    }

    static final int MAX_KEY_CHARS = 256;
    static final int MAX_DEPTH = 6;

    private final Options options;
    private final Landing landing;
    private final PrintStream log;
    private final HttpServer server;
    private final ExecutorService threads;
    private final byte[] secret;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Parts of accepted deliveries this version does not read (kept raw in the landing record). */
    private final AtomicLong drift = new AtomicLong();

    private Receiver(Options options, Landing landing, PrintStream log) throws IOException {
        this.options = options;
        this.landing = landing;
        this.log = log;
        this.secret = options.destinationPath().getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 128);
        this.threads = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "webhook-request");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Binds and starts serving; the landing is the receiver's from now on (closed with it). */
    public static Receiver start(Options options, Landing landing, PrintStream log) throws IOException {
        try {
            return new Receiver(options, landing, log);
        } catch (IOException | RuntimeException e) {
            landing.close();
            throw e;
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long accepted() {
        return accepted.get();
    }

    public long refused() {
        return refused.get();
    }

    private void handle(HttpExchange ex) {
        long started = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        boolean ours = path != null && MessageDigest.isEqual(path.getBytes(StandardCharsets.UTF_8), secret);
        String shown = ours ? "<destination>" : HEALTH.equals(path) ? HEALTH : "(another path)";
        int status;
        String note;
        try {
            if (HEALTH.equals(path)) {
                status = health(ex, method);
                note = "";
            } else if (!ours) {
                throw new Refusal(404, "not found");
            } else {
                note = deliver(ex, method);
                status = 200;
            }
        } catch (Refusal r) {
            status = r.status;
            note = r.getMessage();
            refused.incrementAndGet();
            respond(ex, r.status, "text/plain; charset=utf-8", r.getMessage() + "\n");
        }
        ex.close();
        String line = String.format(
                "%s webhook %d %s %s %.1f ms from %s%s%n",
                Instant.now(),
                status,
                printable(method),
                shown,
                (System.nanoTime() - started) / 1e6,
                ex.getRemoteAddress().getAddress().getHostAddress(),
                note.isEmpty() ? "" : ": " + note);
        synchronized (log) {
            log.print(line);
            log.flush();
        }
    }

    /** Lands one delivery; returns the log note. */
    private String deliver(HttpExchange ex, String method) throws Refusal {
        if (!method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            throw new Refusal(405, "only POST is accepted");
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (!formEncoded(type)) {
            throw new Refusal(415, "not application/x-www-form-urlencoded (UTF-8)");
        }
        byte[] body = body(ex);
        List<FormDecoder.Field> fields = FormDecoder.decode(body, options.maxFields(), MAX_KEY_CHARS);
        Map<String, Object> form = BracketForm.tree(fields, MAX_DEPTH);
        DeliveryReader.Delivery d = DeliveryReader.read(form, options.account());
        LandingRecord record = new LandingRecord(
                UUID.randomUUID().toString(),
                System.currentTimeMillis(),
                d.accountId(),
                d.subdomain(),
                d.signals(),
                new String(body, StandardCharsets.US_ASCII));
        try {
            landing.land(record.toJson()).get(options.landMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Refusal(503, "landing took longer than " + options.landMillis() + " ms; amoCRM will retry");
        } catch (ExecutionException e) {
            throw new Refusal(503, "landing failed (" + e.getCause().getMessage() + "); amoCRM will retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(503, "stopping");
        }
        accepted.incrementAndGet();
        drift.addAndGet(d.drift().size());
        respond(ex, 200, "text/plain; charset=utf-8", "OK\n");
        return d.signals().size() + " signal" + (d.signals().size() == 1 ? "" : "s") + ", " + body.length
                + " bytes, landed " + record.id().substring(0, 8)
                + (d.drift().isEmpty() ? "" : "; kept raw, not read: " + String.join(", ", d.drift()));
    }

    /** The body, at most maxBodyBytes; a longer one is refused without reading it all. */
    private byte[] body(HttpExchange ex) throws Refusal {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new Refusal(400, "bad Content-Length");
            }
            if (n > options.maxBodyBytes()) {
                throw new Refusal(413, "body larger than " + options.maxBodyBytes() + " bytes");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(options.maxBodyBytes() + 1);
            if (b.length > options.maxBodyBytes()) {
                throw new Refusal(413, "body larger than " + options.maxBodyBytes() + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new Refusal(400, "the body was cut short or too slow");
        }
    }

    private int health(HttpExchange ex, String method) throws Refusal {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new Refusal(405, "only GET is accepted");
        }
        String failure = landing.failure();
        int status = failure == null ? 200 : 503;
        respond(
                ex,
                status,
                "application/json",
                "{\"status\":\"" + (failure == null ? "ok" : "failing") + "\",\"accepted\":" + accepted.get()
                        + ",\"refused\":" + refused.get() + ",\"landed\":" + landing.landed() + ",\"drift\":"
                        + drift.get() + "}\n");
        return status;
    }

    static boolean formEncoded(String type) {
        if (type == null) {
            return false;
        }
        String[] parts = type.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=") && !p.equals("charset=utf-8") && !p.equals("charset=\"utf-8\"")) {
                return false;
            }
        }
        return true;
    }

    private static void respond(HttpExchange ex, int status, String type, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try {
            ex.getResponseHeaders().set("Content-Type", type);
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head ? -1 : b.length);
            if (!head) {
                ex.getResponseBody().write(b);
            }
        } catch (IOException e) {
            // The sender is gone (a timeout or a cut body); nothing was landed for it.
        }
    }

    private static String printable(String s) {
        return s == null ? "?" : DeliveryReader.printable(s);
    }

    /** Stops taking connections, lets requests in flight finish (up to 1 s), then closes the landing. */
    @Override
    public void close() {
        server.stop(1);
        threads.shutdown();
        try {
            threads.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        landing.close();
    }
}
