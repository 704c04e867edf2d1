package io.amocrmetl.sandbox.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response to write: status, headers (Date and Content-Length are added), body. */
public final class HttpResponse {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;
    /** Send only this many body bytes, then close (a body cut off mid-transfer); -1 for all. */
    int cutAt = -1;
    /** Reset the connection instead of answering. */
    boolean reset;

    public HttpResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body == null ? new byte[0] : body;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    public static HttpResponse noContent() {
        return new HttpResponse(204, null, null);
    }

    public static HttpResponse text(int status, String contentType, String body) {
        return new HttpResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    HttpResponse cut(int bytes) {
        this.cutAt = bytes;
        return this;
    }

    static HttpResponse resetConnection() {
        HttpResponse r = new HttpResponse(0, null, null);
        r.reset = true;
        return r;
    }

    public int status() {
        return status;
    }

    public byte[] body() {
        return body;
    }
}
