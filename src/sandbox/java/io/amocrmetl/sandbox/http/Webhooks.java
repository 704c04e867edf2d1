package io.amocrmetl.sandbox.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.SandboxClock;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.User;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Webhooks (docs/amocrm-api.md §6): the {@code /api/v4/webhooks} API (admin only; subscribe and
 * unsubscribe by destination, docs/amocrm-api.md §6.1), and delivery of deletes and restores as form-encoded POSTs
 * in the PHP bracket form (docs/amocrm-api.md §6.2). amoCRM waits 2 s and counts only 100–299 as delivered; it
 * retries after 5 min, 15 min, 15 min and 1 h (docs/amocrm-api.md §6.3, secondary), a schedule tests compress; more
 * than 100 failures in 2 h, the latest failed too, disable the webhook.
 */
public final class Webhooks implements AutoCloseable {
    /** The unofficial retry schedule of docs/amocrm-api.md §6.3, before compression. */
    static final long[] RETRY_DELAYS_MS = {5 * 60_000L, 15 * 60_000L, 15 * 60_000L, 60 * 60_000L};

    /** Divides every retry delay, so a test sees the whole schedule in milliseconds. */
    public volatile long retryCompression = 1;

    public volatile long timeoutMillis = 2000;
    public volatile int disableAfterFailures = 100;
    public volatile long failureWindowMillis = 2 * 3_600_000L;

    /** One subscription as {@code GET /api/v4/webhooks} shows it. */
    public record Hook(
            long id,
            String destination,
            List<String> settings,
            int sort,
            boolean disabled,
            long createdAt,
            long createdBy) {}

    /** One delivery attempt: status 0 means no answer (timeout, refused, reset). */
    public record Delivery(String destination, String body, int attempt, int status, String error) {}

    private final AccountData account;
    private final SandboxClock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Hook> hooks = new LinkedHashMap<>();
    private final Map<String, ArrayDeque<Long>> failures = new LinkedHashMap<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-webhooks");
        t.setDaemon(true);
        return t;
    });
    private long nextId = 1;
    private int pending;

    public Webhooks(AccountData account, SandboxClock clock) {
        this.account = account;
        this.clock = clock;
        account.onChange(this::onChange);
    }

    // ---- the API (docs/amocrm-api.md §6.1) ---------------------------------------------------

    HttpResponse handle(HttpRequest req, User user) {
        if (!user.isAdmin()) {
            return Problems.of(403, "Forbidden", "Webhooks are available to administrators only");
        }
        try {
            switch (req.method()) {
                case "GET": {
                    String destination = new QueryParams(req.rawQuery()).first("filter[destination]");
                    List<Hook> list = hooks().stream()
                            .filter(h -> destination == null || h.destination().equals(destination))
                            .toList();
                    if (list.isEmpty()) {
                        return HttpResponse.noContent();
                    }
                    return new HttpResponse(200, HalEnvelopes.HAL, Json.write(g -> {
                        g.writeStartObject();
                        g.writeNumberField("_total_items", list.size());
                        g.writeObjectFieldStart("_embedded");
                        g.writeArrayFieldStart("webhooks");
                        for (Hook h : list) {
                            write(g, h);
                        }
                        g.writeEndArray();
                        g.writeEndObject();
                        g.writeEndObject();
                    }));
                }
                case "POST": {
                    JsonNode body = mapper.readTree(req.body());
                    String destination = body.path("destination").asText("");
                    if (!destination.startsWith("https://") && !destination.startsWith("http://")) {
                        return Problems.validation("destination", "a URL is required");
                    }
                    List<String> settings = new ArrayList<>();
                    body.path("settings").forEach(s -> settings.add(s.asText()));
                    if (settings.isEmpty()) {
                        return Problems.validation("settings", "at least one action is required");
                    }
                    Hook h = subscribe(destination, settings, body.path("sort").asInt(1), user.id());
                    return new HttpResponse(200, HalEnvelopes.HAL, Json.write(g -> write(g, h)));
                }
                case "DELETE": {
                    String destination =
                            mapper.readTree(req.body()).path("destination").asText("");
                    synchronized (this) {
                        if (hooks.remove(destination) == null) {
                            return Problems.of(404, "Not Found", "No webhook for this destination");
                        }
                    }
                    return HttpResponse.noContent();
                }
                default:
                    return Problems.of(405, "Method Not Allowed", "Method " + req.method() + " is not allowed");
            }
        } catch (IOException e) {
            return Problems.of(400, "Bad Request", "Request body is not JSON");
        }
    }

    private void write(com.fasterxml.jackson.core.JsonGenerator g, Hook h) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", h.id());
        g.writeStringField("destination", h.destination());
        g.writeNumberField("created_at", h.createdAt());
        g.writeNumberField("updated_at", h.createdAt());
        g.writeNumberField("account_id", account.account().id());
        g.writeNumberField("created_by", h.createdBy());
        g.writeNumberField("sort", h.sort());
        g.writeBooleanField("disabled", h.disabled());
        g.writeArrayFieldStart("settings");
        for (String s : h.settings()) {
            g.writeString(s);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Subscribing a destination again replaces its settings (and enables it again). */
    public synchronized Hook subscribe(String destination, List<String> settings, int sort, long userId) {
        Hook old = hooks.get(destination);
        Hook h = new Hook(
                old == null ? nextId++ : old.id(),
                destination,
                List.copyOf(settings),
                sort,
                false,
                old == null ? clock.nowSeconds() : old.createdAt(),
                userId);
        hooks.put(destination, h);
        failures.remove(destination);
        return h;
    }

    public synchronized List<Hook> hooks() {
        return List.copyOf(hooks.values());
    }

    /** Disables a webhook, as amoCRM does after repeated failures or an IP block (docs/amocrm-api.md §6.3). */
    public synchronized void disable(String destination) {
        Hook h = hooks.get(destination);
        if (h != null) {
            hooks.put(
                    destination,
                    new Hook(h.id(), h.destination(), h.settings(), h.sort(), true, h.createdAt(), h.createdBy()));
        }
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Waits until no delivery or retry is pending; for tests (no sleeping). */
    public synchronized boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (pending > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    // ---- delivery (docs/amocrm-api.md §6.2, §6.3) --------------------------------------------

    private void onChange(AccountData.Change c) {
        String action = c.action();
        String setting = action + "_"
                + switch (c.entity()) {
                    case "leads" -> "lead";
                    case "contacts" -> "contact";
                    case "companies" -> "company";
                    case "tasks" -> "task";
                    default -> c.entity();
                };
        String body = body(c);
        synchronized (this) {
            for (Hook h : hooks.values()) {
                if (!h.disabled() && h.settings().contains(setting)) {
                    pending++;
                    String destination = h.destination();
                    sender.execute(() -> attempt(destination, body, 1));
                }
            }
        }
    }

    /**
     * The delivery body, exactly as PHP's http_build_query writes the structure of docs/amocrm-api.md §6.2: brackets
     * percent-encoded, spaces as '+'. Companies come under {@code contacts} with
     * {@code type=company}; tasks under {@code task}. The {@code account} block always follows.
     */
    String body(AccountData.Change c) {
        Map<String, String> fields = new LinkedHashMap<>();
        String action = c.action();
        switch (c.entity()) {
            case "leads" -> {
                Lead l = (Lead) c.record();
                fields.put("leads[" + action + "][0][id]", String.valueOf(c.id()));
                fields.put("leads[" + action + "][0][status_id]", String.valueOf(l.statusId()));
                fields.put("leads[" + action + "][0][pipeline_id]", String.valueOf(l.pipelineId()));
            }
            case "contacts", "companies" -> {
                fields.put("contacts[" + action + "][0][id]", String.valueOf(c.id()));
                fields.put("contacts[" + action + "][0][type]", c.entity().equals("contacts") ? "contact" : "company");
            }
            case "tasks" -> fields.put("task[" + action + "][0][id]", String.valueOf(c.id()));
            case "unsorted" -> {
                // Accepting or declining an unsorted item is delivered as an unsorted delete (docs/amocrm-api.md §6.2).
                var u = (io.amocrmetl.sandbox.model.Unsorted) c.record();
                String base = "unsorted[" + action + "][0]";
                fields.put(base + "[action]", c.outcome());
                fields.put(base + "[uid]", u.uid());
                fields.put(base + "[category]", u.category());
                fields.put(base + "[pipeline_id]", String.valueOf(u.pipelineId()));
                if (u.contactId() != null) {
                    fields.put(base + "[" + c.outcome() + "_result][contacts][0]", String.valueOf(u.contactId()));
                }
            }
            default -> throw new IllegalArgumentException(c.entity());
        }
        var a = account.account();
        fields.put("account[subdomain]", a.subdomain());
        fields.put("account[id]", String.valueOf(a.id()));
        fields.put("account[_links][self]", "https://" + a.subdomain() + ".amocrm.ru");
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    private void attempt(String destination, String body, int attempt) {
        int status = 0;
        String error = null;
        try {
            var resp = http.send(
                    java.net.http.HttpRequest.newBuilder(URI.create(destination))
                            .timeout(Duration.ofMillis(timeoutMillis))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            status = resp.statusCode();
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (IllegalArgumentException e) {
            error = "bad destination: " + e.getMessage();
        }
        boolean delivered = status >= 100 && status <= 299;
        synchronized (this) {
            deliveries.add(new Delivery(destination, body, attempt, status, error));
            if (!delivered) {
                recordFailure(destination);
                Hook h = hooks.get(destination);
                if (attempt <= RETRY_DELAYS_MS.length && h != null && !h.disabled()) {
                    pending++;
                    long delay = Math.max(1, RETRY_DELAYS_MS[attempt - 1] / Math.max(1, retryCompression));
                    sender.schedule(() -> attempt(destination, body, attempt + 1), delay, TimeUnit.MILLISECONDS);
                }
            }
            pending--;
            notifyAll();
        }
    }

    private void recordFailure(String destination) {
        long now = clock.nowMillis();
        ArrayDeque<Long> times = failures.computeIfAbsent(destination, k -> new ArrayDeque<>());
        times.addLast(now);
        while (!times.isEmpty() && now - times.peekFirst() > failureWindowMillis) {
            times.pollFirst();
        }
        if (times.size() > disableAfterFailures) {
            disable(destination);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
