package io.amocrmetl.webhooks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Requests written byte by byte on a socket, so tests can send what no HTTP client would: a
 * body shorter than its Content-Length, a half-closed connection, a 10 MB body the server refuses
 * before reading it. The body is written on a thread of its own, so a server that answers early
 * and stops reading cannot stall the test.
 */
final class RawHttp {
    /** The status line's code, or -1 when the server closed the connection without an answer. */
    record Answer(int status, String text, long millis) {}

    private RawHttp() {}

    static byte[] request(String method, String path, String contentType, byte[] body) {
        StringBuilder h =
                new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if (contentType != null) {
            h.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            h.append("Content-Length: ").append(body.length).append("\r\n");
        }
        h.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    static Answer send(int port, byte[] raw) throws IOException {
        return send(port, raw, false, 10_000);
    }

    /**
     * @param halfClose shut the output after writing (a sender that stops mid-body)
     * @param timeoutMillis how long to wait for the answer
     */
    static Answer send(int port, byte[] raw, boolean halfClose, int timeoutMillis) throws IOException {
        long started = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    for (int off = 0; off < raw.length; off += 65536) {
                        out.write(raw, off, Math.min(65536, raw.length - off));
                    }
                    out.flush();
                    if (halfClose) {
                        s.shutdownOutput();
                    }
                } catch (IOException e) {
                    // the server answered and closed before reading it all: expected for refused bodies
                }
            });
            writer.setDaemon(true);
            writer.start();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    got.write(b, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                // a reset after the answer was written
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (!text.startsWith("HTTP/1.1 ")) {
                return new Answer(-1, text, millis);
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), text, millis);
        }
    }
}
