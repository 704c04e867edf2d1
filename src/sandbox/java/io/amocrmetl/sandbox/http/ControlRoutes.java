package io.amocrmetl.sandbox.http;

import io.amocrmetl.sandbox.data.AccountData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The control API's HTTP mirror for scripts and benchmarks (docs/sandbox.md), off unless
 * enabled. Tests use the Java API ({@link io.amocrmetl.sandbox.Sandbox}) directly.
 * <ul>
 *   <li>{@code GET /_sandbox/truth}: per entity, live and deleted counts;</li>
 *   <li>{@code GET /_sandbox/truth/ids?entity=leads}: live ids;</li>
 *   <li>{@code GET /_sandbox/requests?since=SEQ}: the request log;</li>
 *   <li>{@code GET /_sandbox/counters}: requests by status;</li>
 *   <li>{@code POST /_sandbox/clock/advance?seconds=N};</li>
 *   <li>{@code POST /_sandbox/mutate?op=...}: add_lead, add_contact, price, rename, status, delete,
 *       restore, link, unlink, merge, tag_add, tag_remove, same_second, and touch (ids=1,2,3);</li>
 *   <li>{@code POST /_sandbox/limits?rps=&retry_after=&block_after=&cooldown_ms=&enabled=}, and
 *       {@code POST /_sandbox/limits/reset} to lift a block;</li>
 *   <li>{@code POST /_sandbox/oauth/code?user_id=}: an authorization code, as the consent page
 *       gives one; {@code POST /_sandbox/oauth/revoke}; {@code POST /_sandbox/oauth/expire};</li>
 *   <li>{@code GET /_sandbox/webhooks}: subscriptions and delivery attempts.</li>
 * </ul>
 */
final class ControlRoutes {
    private final AccountData account;
    private final RequestLog log;
    private final RateLimits limits;
    private final OAuth oauth;
    private final Webhooks webhooks;

    ControlRoutes(AccountData account, RequestLog log, RateLimits limits, OAuth oauth, Webhooks webhooks) {
        this.account = account;
        this.log = log;
        this.limits = limits;
        this.oauth = oauth;
        this.webhooks = webhooks;
    }

    HttpResponse handle(HttpRequest req) {
        QueryParams q;
        try {
            q = new QueryParams(req.rawQuery());
            return route(req, q);
        } catch (QueryParams.BadParam | IllegalArgumentException e) {
            return Problems.of(400, "Bad Request", e.getMessage());
        }
    }

    private HttpResponse route(HttpRequest req, QueryParams q) {
        String route = req.method() + " " + req.path();
        switch (route) {
            case "GET /_sandbox/truth": {
                // Counts come from id lists, never whole records: cheap at millions of leads.
                Map<String, Object> counts = new TreeMap<>();
                for (String entity : List.of("leads", "contacts", "companies", "tasks")) {
                    counts.put(entity, Map.of("live", (long) account.liveIds(entity).length, "deleted", (long)
                            account.deletedCount(entity)));
                }
                counts.put("taken_at", account.clock().nowSeconds());
                return json(counts);
            }
            case "GET /_sandbox/truth/ids": {
                String entity = require(q, "entity");
                long[] ids = account.liveIds(entity);
                StringBuilder sb = new StringBuilder(ids.length * 11 + 64)
                        .append("{\"entity\":\"")
                        .append(entity)
                        .append("\",\"ids\":[");
                for (int i = 0; i < ids.length; i++) {
                    sb.append(i == 0 ? "" : ",").append(ids[i]);
                }
                return HttpResponse.text(
                        200, "application/json", sb.append("]}").toString());
            }
            case "GET /_sandbox/requests": {
                long since = q.longParam("since") == null ? 0 : q.longParam("since");
                List<Object> out = log.snapshot().stream()
                        .filter(r -> r.seq() > since)
                        .map(r -> (Object) Map.of(
                                "seq",
                                r.seq(),
                                "start_ms",
                                r.startMillis(),
                                "method",
                                r.method(),
                                "target",
                                r.target(),
                                "status",
                                (long) r.status(),
                                "bytes",
                                (long) r.bytes(),
                                "duration_ms",
                                r.durationNanos() / 1_000_000))
                        .toList();
                return json(Map.of("requests", out));
            }
            case "GET /_sandbox/counters": {
                Map<String, Object> byStatus = new TreeMap<>();
                log.snapshot()
                        .forEach(r -> byStatus.merge(String.valueOf(r.status()), 1L, (a, b) -> (Long) a + (Long) b));
                Runtime rt = Runtime.getRuntime();
                return json(Map.of(
                        "requests",
                        log.total(),
                        "by_status",
                        byStatus,
                        "heap_used_bytes",
                        rt.totalMemory() - rt.freeMemory(),
                        "heap_max_bytes",
                        rt.maxMemory()));
            }
            case "POST /_sandbox/clock/advance": {
                account.clock().advance(Duration.ofSeconds(Long.parseLong(require(q, "seconds"))));
                return json(Map.of("now", account.clock().nowSeconds()));
            }
            case "POST /_sandbox/mutate":
                return mutate(q);
            case "POST /_sandbox/limits": {
                if (q.has("rps")) {
                    limits.requestsPerSecond = Integer.parseInt(q.first("rps"));
                }
                if (q.has("retry_after")) {
                    limits.retryAfterSeconds = Integer.parseInt(q.first("retry_after"));
                }
                if (q.has("block_after")) {
                    limits.blockAfter429s = Integer.parseInt(q.first("block_after"));
                }
                if (q.has("cooldown_ms")) {
                    limits.blockCooldownMillis = Long.parseLong(q.first("cooldown_ms"));
                }
                if (q.has("enabled")) {
                    limits.enabled = Boolean.parseBoolean(q.first("enabled"));
                }
                return json(Map.of(
                        "rps",
                        (long) limits.requestsPerSecond,
                        "retry_after",
                        (long) limits.retryAfterSeconds,
                        "block_after",
                        (long) limits.blockAfter429s,
                        "enabled",
                        limits.enabled,
                        "limited",
                        limits.limitedCount(),
                        "blocked",
                        limits.blockedCount()));
            }
            case "POST /_sandbox/limits/reset":
                limits.reset();
                return json(Map.of("blocked", false));
            case "POST /_sandbox/oauth/code":
                return json(Map.of(
                        "code",
                        oauth.issueAuthorizationCode(
                                q.longParam("user_id") == null
                                        ? account.account().currentUserId()
                                        : q.longParam("user_id"))));
            case "POST /_sandbox/oauth/revoke":
                oauth.revokeAll();
                return json(Map.of("revoked", true));
            case "POST /_sandbox/oauth/expire":
                oauth.expireAccessTokens();
                return json(Map.of("expired", true));
            case "GET /_sandbox/webhooks":
                return json(Map.of(
                        "hooks",
                        webhooks.hooks().stream()
                                .map(h -> (Object) Map.of(
                                        "destination",
                                        h.destination(),
                                        "disabled",
                                        h.disabled(),
                                        "settings",
                                        h.settings()))
                                .toList(),
                        "deliveries",
                        webhooks.deliveries().stream()
                                .map(d -> (Object) Map.of(
                                        "destination",
                                        d.destination(),
                                        "attempt",
                                        (long) d.attempt(),
                                        "status",
                                        (long) d.status(),
                                        "body",
                                        d.body()))
                                .toList()));
            default:
                return Problems.of(404, "Not Found", "no control route " + route);
        }
    }

    private HttpResponse mutate(QueryParams q) {
        String op = require(q, "op");
        Function<String, Long> num = k -> Long.parseLong(require(q, k));
        Object result = switch (op) {
            case "add_lead" ->
                account.addLead(require(q, "name"), num.apply("price")).id();
            case "add_contact" -> account.addContact(require(q, "name")).id();
            case "price" ->
                account.updateLeadPrice(num.apply("id"), num.apply("price")).id();
            case "rename" ->
                account.renameLead(num.apply("id"), require(q, "name")).id();
            case "status" ->
                account.changeLeadStatus(num.apply("id"), num.apply("status_id"))
                        .id();
            case "tag_add" ->
                account.addLeadTag(num.apply("id"), require(q, "tag")).id();
            case "tag_remove" ->
                account.removeLeadTag(num.apply("id"), require(q, "tag")).id();
            case "delete" -> {
                account.delete(require(q, "entity"), num.apply("id"));
                yield num.apply("id");
            }
            case "restore" -> {
                account.restore(require(q, "entity"), num.apply("id"));
                yield num.apply("id");
            }
            case "link" -> {
                account.link(num.apply("lead_id"), num.apply("contact_id"), "true".equals(q.first("main")));
                yield num.apply("lead_id");
            }
            case "unlink" -> {
                account.unlink(num.apply("lead_id"), num.apply("contact_id"));
                yield num.apply("lead_id");
            }
            case "merge" -> {
                account.mergeContacts(num.apply("survivor"), num.apply("loser"));
                yield num.apply("survivor");
            }
            case "touch" -> {
                // Many leads at once (ids=1,2,3): each gets a new price and a new updated_at.
                long n = 0;
                for (long id : q.longs("ids")) {
                    account.updateLeadPrice(id, 1 + Math.floorMod(id * 31, 100_000));
                    n++;
                }
                yield n;
            }
            case "accept_unsorted", "decline_unsorted" -> {
                account.decideUnsorted(require(q, "uid"), op.startsWith("accept"));
                yield 1L;
            }
            case "same_second" ->
                (long) account.bulkUpdateSameSecond(num.apply("n").intValue()).size();
            default -> throw new IllegalArgumentException("unknown op " + op);
        };
        return json(Map.of("op", op, "id", result));
    }

    private static String require(QueryParams q, String key) {
        String v = q.first(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing parameter " + key);
        }
        return v;
    }

    private static HttpResponse json(Object value) {
        return new HttpResponse(200, "application/json", Json.write(g -> Json.value(g, value)));
    }
}
