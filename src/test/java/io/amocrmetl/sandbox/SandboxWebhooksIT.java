package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.amocrmetl.sandbox.http.Webhooks;
import io.amocrmetl.sandbox.model.Lead;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks (docs/amocrm-api.md §6): the API, the exact form-encoded delivery, retries and disabling. */
class SandboxWebhooksIT {
    Sandbox sandbox;
    ApiWalker api;
    HttpServer receiver;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();
    final AtomicInteger answer = new AtomicInteger(200);
    String destination;

    @BeforeEach
    void start() throws IOException {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(8).withLeads(60));
        sandbox.limits().enabled = false;
        api = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks/s3cret", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
            ex.sendResponseHeaders(answer.get(), -1);
            ex.close();
        });
        receiver.start();
        destination = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/s3cret";
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        sandbox.close();
    }

    private ApiWalker.Response send(String method, String json) {
        return api.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/api/v4/webhooks"))
                .header("Authorization", "Bearer " + sandbox.settings().token())
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    private void subscribe() {
        ApiWalker.Response r = send(
                "POST",
                "{\"destination\":\"" + destination + "\",\"settings\":[\"delete_lead\","
                        + "\"delete_contact\",\"delete_company\",\"delete_task\",\"restore_lead\"],\"sort\":10}");
        assertEquals(200, r.status());
        assertEquals(destination, r.json().get("destination").asText());
    }

    /** Expected bodies, in PHP http_build_query form, written out by hand from docs/amocrm-api.md §6.2. */
    private String accountBlock() {
        var a = sandbox.groundTruth().account();
        return "account%5Bsubdomain%5D=" + a.subdomain() + "&account%5Bid%5D=" + a.id()
                + "&account%5B_links%5D%5Bself%5D=https%3A%2F%2F" + a.subdomain() + ".amocrm.ru";
    }

    @Test
    void deletesArriveFormEncodedInTheExactBracketShape() throws Exception {
        subscribe();
        var truth = sandbox.groundTruth();
        Lead lead = truth.leads().live().get(5);
        long contact = truth.contacts().live().get(6).id();
        long company = truth.companies().live().get(2).id();
        long task = truth.tasks().live().get(3).id();
        sandbox.account().delete("leads", lead.id());
        sandbox.account().delete("contacts", contact);
        sandbox.account().delete("companies", company);
        sandbox.account().delete("tasks", task);
        sandbox.account().restore("leads", lead.id());
        assertTrue(sandbox.webhooks().awaitIdle(10_000));

        assertEquals(
                List.of(
                        "leads%5Bdelete%5D%5B0%5D%5Bid%5D=" + lead.id() + "&leads%5Bdelete%5D%5B0%5D%5Bstatus_id%5D="
                                + lead.statusId() + "&leads%5Bdelete%5D%5B0%5D%5Bpipeline_id%5D=" + lead.pipelineId()
                                + "&" + accountBlock(),
                        "contacts%5Bdelete%5D%5B0%5D%5Bid%5D=" + contact
                                + "&contacts%5Bdelete%5D%5B0%5D%5Btype%5D=contact&" + accountBlock(),
                        "contacts%5Bdelete%5D%5B0%5D%5Bid%5D=" + company
                                + "&contacts%5Bdelete%5D%5B0%5D%5Btype%5D=company&" + accountBlock(),
                        "task%5Bdelete%5D%5B0%5D%5Bid%5D=" + task + "&" + accountBlock(),
                        "leads%5Brestore%5D%5B0%5D%5Bid%5D=" + lead.id() + "&leads%5Brestore%5D%5B0%5D%5Bstatus_id%5D="
                                + lead.statusId() + "&leads%5Brestore%5D%5B0%5D%5Bpipeline_id%5D=" + lead.pipelineId()
                                + "&" + accountBlock()),
                bodies);
        contentTypes.forEach(t -> assertEquals("application/x-www-form-urlencoded", t));
    }

    /** Accepting or declining an unsorted item arrives as an unsorted delete carrying that outcome (docs/amocrm-api.md §6.2). */
    @Test
    void unsortedAcceptAndDeclineArriveAsDeletesWithTheirOutcome() throws Exception {
        ApiWalker.Response r =
                send("POST", "{\"destination\":\"" + destination + "\",\"settings\":[\"delete_unsorted\"]}");
        assertEquals(200, r.status());
        var items = sandbox.groundTruth().unsorted().live();
        var accepted = items.get(0);
        var declined = items.get(1);
        sandbox.account().decideUnsorted(accepted.uid(), true);
        sandbox.account().decideUnsorted(declined.uid(), false);
        assertTrue(sandbox.webhooks().awaitIdle(10_000));
        String u = "unsorted%5Bdelete%5D%5B0%5D%5B";
        assertEquals(
                List.of(
                        u + "action%5D=accept&" + u + "uid%5D=" + accepted.uid() + "&" + u + "category%5D="
                                + accepted.category()
                                + "&" + u + "pipeline_id%5D=" + accepted.pipelineId() + "&" + u
                                + "accept_result%5D%5Bcontacts%5D%5B0%5D="
                                + accepted.contactId() + "&" + accountBlock(),
                        u + "action%5D=decline&" + u + "uid%5D=" + declined.uid() + "&" + u + "category%5D="
                                + declined.category()
                                + "&" + u + "pipeline_id%5D=" + declined.pipelineId() + "&" + u
                                + "decline_result%5D%5Bcontacts%5D%5B0%5D="
                                + declined.contactId() + "&" + accountBlock()),
                bodies);
        var left = api.walk("/api/v4/leads/unsorted?limit=250", "unsorted").items().stream()
                .map(i -> i.get("uid").asText())
                .toList();
        assertTrue(!left.contains(accepted.uid()) && !left.contains(declined.uid()));
        assertEquals(204, api.get("/api/v4/events?filter[entity][]=unsorted").status(), "unsorted has no delete event");
    }

    @Test
    void apiListsFiltersAndUnsubscribesByDestination() {
        assertEquals(204, api.get("/api/v4/webhooks").status());
        subscribe();
        subscribe();
        var list = api.get("/api/v4/webhooks?filter[destination]="
                        + java.net.URLEncoder.encode(destination, StandardCharsets.UTF_8))
                .json();
        assertEquals(1, list.at("/_embedded/webhooks").size(), "subscribing twice keeps one webhook");
        assertEquals(5, list.at("/_embedded/webhooks/0/settings").size());
        assertTrue(!list.at("/_embedded/webhooks/0/disabled").asBoolean());
        assertEquals(
                204, send("DELETE", "{\"destination\":\"" + destination + "\"}").status());
        assertEquals(204, api.get("/api/v4/webhooks").status());
    }

    @Test
    void failedDeliveriesAreRetriedOnTheScheduleThenTheWebhookIsDisabled() throws Exception {
        Webhooks w = sandbox.webhooks();
        w.retryCompression = 60_000; // 5 min -> 5 ms
        w.disableAfterFailures = 6;
        answer.set(500);
        subscribe();
        sandbox.account()
                .delete("leads", sandbox.groundTruth().leads().live().get(1).id());
        assertTrue(w.awaitIdle(10_000));
        assertEquals(5, bodies.size(), "the first attempt and 4 retries (docs/amocrm-api.md §6.3)");
        assertEquals(
                List.of(1, 2, 3, 4, 5),
                w.deliveries().stream().map(Webhooks.Delivery::attempt).toList());
        assertTrue(!w.hooks().get(0).disabled(), "5 failures are under the threshold");

        sandbox.account()
                .delete("leads", sandbox.groundTruth().leads().live().get(2).id());
        assertTrue(w.awaitIdle(10_000));
        assertTrue(w.hooks().get(0).disabled(), "more failures than the threshold disable the webhook");
        assertTrue(api.get("/api/v4/webhooks")
                .json()
                .at("/_embedded/webhooks/0/disabled")
                .asBoolean());
        int delivered = bodies.size();
        answer.set(200);
        sandbox.account()
                .delete("leads", sandbox.groundTruth().leads().live().get(3).id());
        assertTrue(w.awaitIdle(10_000));
        assertEquals(delivered, bodies.size(), "a disabled webhook gets nothing");
    }

    @Test
    void aReceiverSlowerThanTheTimeoutCountsAsFailed() throws Exception {
        Webhooks w = sandbox.webhooks();
        w.timeoutMillis = 200;
        w.retryCompression = 60_000;
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        receiver.removeContext("/hooks/s3cret");
        receiver.createContext("/hooks/s3cret", ex -> {
            try {
                release.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        subscribe();
        sandbox.account()
                .delete("tasks", sandbox.groundTruth().tasks().live().get(0).id());
        assertTrue(w.awaitIdle(20_000));
        release.countDown();
        assertTrue(
                w.deliveries().stream().allMatch(d -> d.status() == 0 && d.error() != null),
                w.deliveries().toString());
    }
}
