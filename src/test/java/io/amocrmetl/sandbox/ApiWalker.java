package io.amocrmetl.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test-side API client over real HTTP (the JDK's client and Jackson): nothing of the sandbox's
 * or the product's own code, so what it sees is what any client would see.
 */
public final class ApiWalker {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    public ApiWalker(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** A response with its body parsed when it is JSON. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, JsonNode json) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    public Response get(String pathOrUrl) {
        return send(HttpRequest.newBuilder(uri(pathOrUrl))
                .header("Authorization", "Bearer " + token)
                .GET());
    }

    public Response get(String pathOrUrl, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathOrUrl)).GET();
        headers.forEach(b::header);
        return send(b);
    }

    public Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<byte[]> r =
                    http.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            String type = r.headers().firstValue("content-type").orElse("");
            boolean encoded = r.headers().firstValue("content-encoding").isPresent();
            if (r.body().length > 0 && type.contains("json") && !encoded) {
                json = MAPPER.readTree(r.body());
            }
            return new Response(r.statusCode(), r.headers().map(), r.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends raw request bytes over a fresh socket and returns the status line and the rest: for
     * requests no well-behaved client would send (broken encodings, odd methods).
     */
    public String raw(String requestHead) {
        URI base = URI.create(baseUrl);
        try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(requestHead.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
    }

    /** Every item of a list, following {@code _links.next.href} until a 204 or no next link. */
    public Walk walk(String path, String embedded) {
        List<JsonNode> items = new ArrayList<>();
        List<JsonNode> pages = new ArrayList<>();
        String url = path;
        int requests = 0;
        while (url != null) {
            Response r = get(url);
            requests++;
            if (r.status() == 204) {
                break;
            }
            if (r.status() != 200) {
                throw new AssertionError("GET " + url + " answered " + r.status() + ": " + new String(r.body()));
            }
            pages.add(r.json());
            r.json().path("_embedded").path(embedded).forEach(items::add);
            JsonNode next = r.json().at("/_links/next/href");
            url = next.isMissingNode() ? null : next.asText();
            if (requests > 100_000) {
                throw new AssertionError("walk of " + path + " does not end");
            }
        }
        return new Walk(items, pages, requests);
    }

    /** What a walk collected. */
    public record Walk(List<JsonNode> items, List<JsonNode> pages, int requests) {
        public List<Long> ids() {
            return items.stream().map(i -> i.get("id").asLong()).toList();
        }

        public List<String> stringIds() {
            return items.stream().map(i -> i.get("id").asText()).toList();
        }
    }
}
