package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.http.Faults;
import io.amocrmetl.sandbox.model.Lead;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Injected faults do exactly what they say, on exactly the request they name. */
class SandboxFaultsIT {
    Sandbox sandbox;
    ApiWalker api;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(12).withLeads(600));
        sandbox.limits().enabled = false;
        api = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void shareOf5xxOnOneEndpointOnly() {
        sandbox.faults().failShare("/api/v4/leads", 0.3, 502);
        int failed = 0;
        for (int i = 0; i < 200; i++) {
            int s = api.get("/api/v4/leads?limit=1").status();
            assertTrue(s == 200 || s == 502);
            failed += s == 502 ? 1 : 0;
        }
        assertTrue(failed > 30 && failed < 90, "about 30% failed: " + failed);
        for (int i = 0; i < 20; i++) {
            assertEquals(200, api.get("/api/v4/contacts?limit=1").status(), "other endpoints are untouched");
        }
    }

    @Test
    void aRuleNamesAnEndpointNotItsSubResources() {
        sandbox.faults().failNth("/api/v4/leads", 0, 503);
        // Read before the leads list in every run: a prefix match would put "the 1st leads page" there.
        for (String sub : List.of(
                "/api/v4/leads/pipelines",
                "/api/v4/leads/notes",
                "/api/v4/leads/custom_fields",
                "/api/v4/leads/tags",
                "/api/v4/leads/loss_reasons",
                "/api/v4/leads/unsorted")) {
            assertEquals(200, api.get(sub).status(), sub + " is not /api/v4/leads");
        }
        assertEquals(503, api.get("/api/v4/leads?limit=1").status());
        long id = sandbox.groundTruth().leads().live().get(0).id();
        assertEquals(503, api.get("/api/v4/leads/" + id).status(), "one record under the endpoint is the endpoint's");
    }

    @Test
    void cutBodyResetAndMalformedJson() {
        sandbox.faults().cutBody("/api/v4/leads", 2);
        assertEquals(200, api.get("/api/v4/leads?limit=250").status());
        assertThrows(UncheckedIOException.class, () -> api.get("/api/v4/leads?limit=250"), "the 2nd body is cut short");
        assertEquals(200, api.get("/api/v4/leads?limit=250").status());

        // Every matching request is reset: the JDK client (like OkHttp) silently retries a GET
        // once after a reset, so resetting only the first would go unseen.
        sandbox.faults().reset("/api/v4/contacts", 0);
        long before = sandbox.requests().total();
        assertThrows(UncheckedIOException.class, () -> api.get("/api/v4/contacts"));
        assertTrue(sandbox.requests().total() - before >= 2, "the client retried the reset GET");
        assertTrue(
                sandbox.requests().snapshot().stream()
                        .filter(r -> r.path().equals("/api/v4/contacts"))
                        .allMatch(r -> r.status() == 0),
                "resets are logged with status 0");
        sandbox.faults().clear();
        assertEquals(200, api.get("/api/v4/contacts").status());

        sandbox.faults().malformedJson("/api/v4/companies", 1);
        // A complete HTTP 200 whose JSON stops midway: the parser, not the transport, fails.
        UncheckedIOException bad =
                assertThrows(UncheckedIOException.class, () -> api.get("/api/v4/companies?limit=250"));
        assertTrue(bad.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException, bad.toString());
    }

    @Test
    void paymentRequiredAndTokenExpiry() {
        sandbox.faults().paymentRequired("/api/v4/customers");
        assertEquals(402, api.get("/api/v4/customers").status());
        sandbox.faults().failNth("/api/v4/leads", 3, 401);
        assertEquals(
                List.of(200, 200, 401, 200),
                List.of(
                        api.get("/api/v4/leads?limit=1").status(),
                        api.get("/api/v4/leads?limit=1").status(),
                        api.get("/api/v4/leads?limit=1").status(),
                        api.get("/api/v4/leads?limit=1").status()));
    }

    @Test
    void heldRequestWaitsUntilReleased() throws Exception {
        Faults.Hold hold = sandbox.faults().hold("/api/v4/tasks", 1);
        CompletableFuture<Integer> pending =
                CompletableFuture.supplyAsync(() -> api.get("/api/v4/tasks").status());
        assertTrue(hold.awaitHeld(10, TimeUnit.SECONDS));
        assertFalse(pending.isDone(), "held");
        assertEquals(200, api.get("/api/v4/leads?limit=1").status(), "other requests go on");
        hold.release();
        assertEquals(200, pending.get(10, TimeUnit.SECONDS));
    }

    /**
     * A mutation between two pages moves rows to the end of an updated_at order. Page-number
     * paging then skips a row (docs/conventions.md), which is what the product must survive.
     */
    @Test
    void mutationBetweenPagesShiftsPageNumberedReads() {
        List<Lead> live = sandbox.groundTruth().leads().live();
        // After page 1 (ids in updated_at order 0..99) is served, row 10 moves to the end.
        sandbox.faults()
                .mutateAfterPage(
                        "/api/v4/leads",
                        1,
                        () -> sandbox.account().updateLeadPrice(live.get(10).id(), 1));
        ApiWalker.Walk walk = api.walk("/api/v4/leads?limit=100&order[updated_at]=asc", "leads");
        HashSet<Long> seen = new HashSet<>(walk.ids());
        assertEquals(live.size(), walk.ids().size(), "one row read twice, one never");
        assertFalse(seen.contains(live.get(100).id()), "the row that slid onto page 1 is skipped");
        assertEquals(
                2, walk.ids().stream().filter(id -> id == live.get(10).id()).count());
    }
}
