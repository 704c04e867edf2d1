package io.amocrmetl.sandbox.http;

import io.amocrmetl.sandbox.data.SandboxClock;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * A small HTTP/1.1 server on loopback with keep-alive and gzip.
 *
 * <p>The sandbox has its own instead of the JDK's {@code HttpServer} because that one always
 * overwrites {@code Date} with the real clock, and the product takes its window ends from the
 * server's {@code Date} (docs/lakehouse.md), which must follow the sandbox clock. Owning the
 * socket also lets fault injection cut a body short or reset a connection.
 */
public final class HttpCore implements Closeable {
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final int GZIP_MIN_BYTES = 1024;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final ServerSocket server;
    private final Function<HttpRequest, HttpResponse> handler;
    private final SandboxClock clock;
    private final ExecutorService workers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong seq = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    public HttpCore(int port, Function<HttpRequest, HttpResponse> handler, SandboxClock clock) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        this.handler = handler;
        this.clock = clock;
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sandbox-http");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "sandbox-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                open.add(s);
                workers.execute(() -> serve(s));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("sandbox: accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(120_000);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                HttpRequest req;
                try {
                    req = read(in);
                } catch (BadRequest e) {
                    write(out, HttpResponse.text(e.status, "text/plain; charset=utf-8", e.getMessage()), false, true);
                    return;
                }
                if (req == null) {
                    return;
                }
                HttpResponse resp;
                try {
                    resp = handler.apply(req);
                } catch (RuntimeException e) {
                    resp = Problems.of(500, "ErrInternalServer", "sandbox handler failed: " + e);
                }
                if (resp.reset) {
                    // SO_LINGER 0 makes close() send a TCP RST: "connection reset by peer".
                    socket.setSoLinger(true, 0);
                    return;
                }
                boolean close = "close".equalsIgnoreCase(req.header("connection")) || resp.cutAt >= 0;
                String enc = req.header("accept-encoding");
                write(out, resp, enc != null && enc.toLowerCase(Locale.ROOT).contains("gzip") && resp.cutAt < 0, close);
                if (close) {
                    return;
                }
            }
        } catch (SocketException e) {
            // the client went away; nothing to answer
        } catch (IOException e) {
            if (!closed) {
                System.err.println("sandbox: connection failed: " + e.getMessage());
            }
        } finally {
            open.remove(socket);
        }
    }

    /** Reads one request, or null at a clean end of stream. */
    private HttpRequest read(InputStream in) throws IOException {
        String requestLine = readLine(in, true);
        if (requestLine == null) {
            return null;
        }
        long startNanos = System.nanoTime();
        long startMillis = clock.nowMillis();
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "malformed request line");
        }
        Map<String, List<String>> headers = new HashMap<>();
        int total = requestLine.length();
        while (true) {
            String line = readLine(in, false);
            if (line == null) {
                throw new BadRequest(400, "headers cut short");
            }
            if (line.isEmpty()) {
                break;
            }
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                throw new BadRequest(431, "headers too large");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "malformed header");
            }
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        byte[] body = new byte[0];
        List<String> te = headers.get("transfer-encoding");
        if (te != null) {
            throw new BadRequest(411, "chunked request bodies are not supported; send Content-Length");
        }
        List<String> cl = headers.get("content-length");
        if (cl != null) {
            long length;
            try {
                length = Long.parseLong(cl.get(0));
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "bad Content-Length");
            }
            if (length < 0 || length > MAX_BODY_BYTES) {
                throw new BadRequest(413, "body too large");
            }
            body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new BadRequest(400, "body cut short");
            }
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        return new HttpRequest(
                seq.incrementAndGet(), parts[0], target, path, query, headers, body, startNanos, startMillis);
    }

    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (buf.size() == 0 && eofAllowed) {
                    return null;
                }
                return null;
            }
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (buf.size() > MAX_HEADER_BYTES) {
                throw new BadRequest(431, "line too long");
            }
            buf.write(b);
        }
    }

    private void write(OutputStream out, HttpResponse resp, boolean gzipOk, boolean close) throws IOException {
        byte[] body = resp.body;
        boolean gzip = gzipOk && body.length >= GZIP_MIN_BYTES && resp.status != 204;
        if (gzip) {
            ByteArrayOutputStream z = new ByteArrayOutputStream(body.length / 4 + 64);
            try (GZIPOutputStream g = new GZIPOutputStream(z)) {
                g.write(body);
            }
            body = z.toByteArray();
        }
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ")
                .append(resp.status)
                .append(' ')
                .append(reason(resp.status))
                .append("\r\n");
        head.append("Date: ").append(HTTP_DATE.format(clock.now())).append("\r\n");
        head.append("Server: nginx\r\n");
        for (Map.Entry<String, String> h : resp.headers.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (gzip) {
            head.append("Content-Encoding: gzip\r\n");
        }
        if (resp.status != 204) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append(close ? "Connection: close\r\n" : "Connection: keep-alive\r\n");
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (resp.status != 204) {
            out.write(body, 0, resp.cutAt >= 0 ? Math.min(resp.cutAt, body.length) : body.length);
        }
        out.flush();
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 411 -> "Length Required";
            case 413 -> "Payload Too Large";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        workers.shutdownNow();
    }

    private static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
