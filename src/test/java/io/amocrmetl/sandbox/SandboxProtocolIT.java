package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.sandbox.model.Lead;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP behaviour around the data: empty pages, errors, limits, clock, encoding, control API. */
class SandboxProtocolIT {
    static Sandbox sandbox;
    static ApiWalker api;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(
                SandboxSettings.defaults().withSeed(5).withLeads(300).withControlHttp(true));
        // These tests walk lists as fast as they can; rate limits have their own tests.
        sandbox.limits().enabled = false;
        api = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    /** docs/amocrm-api.md §3.3: an empty result is 204 with an empty body, also past the last page. */
    @Test
    void emptyPageIs204WithNoBody() {
        for (String path : List.of(
                "/api/v4/leads?page=99",
                "/api/v4/contacts?filter[updated_at][from]=4102444800",
                "/api/v4/events?filter[type]=no_such_event",
                "/api/v4/leads/notes?filter[note_type]=nothing",
                "/api/v4/users?page=5",
                "/api/v4/leads/custom_fields?page=3")) {
            ApiWalker.Response r = api.get(path);
            assertEquals(204, r.status(), path);
            assertEquals(0, r.body().length, path);
            assertNull(r.header("Content-Type"), path);
        }
        ApiWalker.Response missing = api.get("/api/v4/leads/12345");
        assertEquals(204, missing.status(), "a missing id answers 204 (docs/amocrm-api.md §3.3)");
    }

    @Test
    void authAndErrorsAreProblemJson() {
        ApiWalker.Response noToken = api.get("/api/v4/leads", Map.of());
        assertEquals(401, noToken.status());
        assertEquals("application/problem+json", noToken.header("Content-Type"));
        assertEquals(401, noToken.json().get("status").asInt());
        assertEquals(
                401,
                api.get("/api/v4/leads", Map.of("Authorization", "Bearer wrong"))
                        .status());

        ApiWalker.Response notFound = api.get("/api/v4/no_such_thing");
        assertEquals(404, notFound.status());
        assertEquals("Not Found", notFound.json().get("title").asText());

        ApiWalker.Response post = api.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/api/v4/leads"))
                .header("Authorization", "Bearer " + sandbox.settings().token())
                .POST(HttpRequest.BodyPublishers.ofString("[]")));
        assertEquals(405, post.status());

        String badEncoding = api.raw("GET /api/v4/leads?filter%5Bid%5D=%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + sandbox.settings().token() + "\r\nConnection: close\r\n\r\n");
        assertTrue(badEncoding.startsWith("HTTP/1.1 400 "), badEncoding);
        assertTrue(badEncoding.contains("validation-errors"), badEncoding);
        String garbage = api.raw("NONSENSE\r\n\r\n");
        assertTrue(garbage.startsWith("HTTP/1.1 400 "), garbage);
    }

    @Test
    void limitsFallBackAndCap() {
        assertEquals(
                250,
                api.get("/api/v4/contacts?limit=1000")
                        .json()
                        .at("/_embedded/contacts")
                        .size(),
                "capped at 250");
        assertEquals(
                50, api.get("/api/v4/contacts").json().at("/_embedded/contacts").size(), "default 50");
        assertEquals(
                50,
                api.get("/api/v4/contacts?limit=abc")
                        .json()
                        .at("/_embedded/contacts")
                        .size(),
                "invalid: 50");
        assertEquals(
                100,
                api.get("/api/v4/events?limit=250")
                        .json()
                        .at("/_embedded/events")
                        .size(),
                "events cap at 100 by default (docs/amocrm-api.md §9.6)");
        assertEquals(
                50,
                api.get("/api/v4/leads/custom_fields?limit=250")
                        .json()
                        .at("/_embedded/custom_fields")
                        .size(),
                "custom fields cap at 50");
        try (Sandbox kommo =
                Sandbox.start(SandboxSettings.defaults().withLeads(100).withEventsPageMax(250))) {
            kommo.limits().enabled = false;
            ApiWalker k = new ApiWalker(kommo.baseUrl(), kommo.settings().token());
            assertEquals(
                    250,
                    k.get("/api/v4/events?limit=250")
                            .json()
                            .at("/_embedded/events")
                            .size(),
                    "Kommo reading: 250");
        }
    }

    @Test
    void nextLinkKeepsTheFiltersAndMovesThePage() {
        JsonNode page = api.get("/api/v4/leads?filter[pipeline_id]=7000001&limit=10&order[id]=asc")
                .json();
        String next = page.at("/_links/next/href").asText();
        assertTrue(next.contains("filter[pipeline_id]=7000001"), next);
        assertTrue(next.contains("order[id]=asc"), next);
        assertTrue(next.endsWith("page=2&limit=10"), next);
        assertTrue(page.at("/_links/self/href").asText().endsWith("page=1&limit=10"));
    }

    /** The product takes window ends from the server's Date (docs/lakehouse.md), so Date follows the sandbox clock. */
    @Test
    void dateHeaderFollowsTheSandboxClock() {
        Instant before = parseDate(api.get("/api/v4/account").header("Date"));
        assertTrue(Math.abs(Duration.between(sandbox.clock().now(), before).toSeconds()) <= 2);
        sandbox.clock().advance(Duration.ofDays(3));
        try {
            Instant after = parseDate(api.get("/api/v4/account").header("Date"));
            long moved = Duration.between(before, after).toSeconds();
            assertTrue(moved >= 3 * 86_400 - 2 && moved <= 3 * 86_400 + 5, "Date moved " + moved + " s");
        } finally {
            sandbox.clock().advance(Duration.ofDays(-3));
        }
    }

    @Test
    void mutationsAreStampedWithTheSandboxClockAndMoveRowsToTheEnd() {
        Lead lead = sandbox.groundTruth().leads().live().get(4);
        Lead changed = sandbox.account().updateLeadPrice(lead.id(), 4242);
        JsonNode last =
                api.get("/api/v4/leads?order[updated_at]=desc&limit=1").json().at("/_embedded/leads/0");
        assertEquals(lead.id(), last.get("id").asLong());
        assertEquals(4242, last.get("price").asLong());
        assertEquals(changed.updatedAt(), last.get("updated_at").asLong());
        assertTrue(Math.abs(changed.updatedAt() - sandbox.clock().nowSeconds()) <= 1);
    }

    @Test
    void gzipWhenAskedFor() throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/api/v4/leads?limit=50"))
                .header("Authorization", "Bearer " + sandbox.settings().token())
                .header("Accept-Encoding", "gzip");
        ApiWalker.Response zipped = api.send(b);
        assertEquals("gzip", zipped.header("Content-Encoding"));
        byte[] plain;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            plain = in.readAllBytes();
        }
        assertEquals(api.get("/api/v4/leads?limit=50").json(), ApiWalker.MAPPER.readTree(plain));
    }

    @Test
    void requestLogRecordsEveryApiRequestButNotControlCalls() {
        long before = sandbox.requests().total();
        api.get("/api/v4/leads?limit=3");
        api.get("/api/v4/nope");
        api.get("/_sandbox/counters");
        List<RequestRecord> log = sandbox.requests().snapshot();
        assertEquals(before + 2, sandbox.requests().total());
        RequestRecord nope = log.get(log.size() - 1);
        assertEquals("/api/v4/nope", nope.path());
        assertEquals(404, nope.status());
        RequestRecord leads = log.get(log.size() - 2);
        assertEquals("/api/v4/leads?limit=3", leads.target());
        assertTrue(leads.startNanos() < nope.startNanos());
        assertTrue(leads.startMillis() > 0);
    }

    @Test
    void controlApiMirrorsTheJavaApi() {
        JsonNode counts = api.get("/_sandbox/truth").json();
        var truth = sandbox.groundTruth();
        assertEquals(truth.leads().live().size(), counts.at("/leads/live").asInt());
        assertEquals(truth.contacts().live().size(), counts.at("/contacts/live").asInt());

        long victim = truth.leads().live().get(7).id();
        ApiWalker.Response deleted = api.send(HttpRequest.newBuilder(
                        URI.create(sandbox.baseUrl() + "/_sandbox/mutate?op=delete&entity=leads&id=" + victim))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, deleted.status());
        assertEquals(204, api.get("/api/v4/leads/" + victim).status(), "a deleted lead answers 204");
        JsonNode ids = api.get("/_sandbox/truth/ids?entity=leads").json().get("ids");
        ids.forEach(id -> assertTrue(id.asLong() != victim));
        assertEquals(truth.leads().live().size() - 1, ids.size());
        assertTrue(api.get("/_sandbox/requests").json().get("requests").size() > 0);
        assertEquals(400, api.get("/_sandbox/truth/ids?entity=planets").status());

        try (Sandbox closed = Sandbox.start(SandboxSettings.defaults().withLeads(20))) {
            ApiWalker c = new ApiWalker(closed.baseUrl(), closed.settings().token());
            assertEquals(404, c.get("/_sandbox/truth").status(), "the control API is off unless enabled");
        }
    }

    private static Instant parseDate(String header) {
        return ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }
}
