package io.amocrmetl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the README's first command. Until the ingest job exists it starts the embedded
 * sandbox and shows what it serves, endpoint by endpoint, over real HTTP.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded amoCRM sandbox with a seeded account and show what it serves.")
final class DemoCommand implements Callable<Integer> {
    private static final String[][] ENDPOINTS = {
        {"leads", "/api/v4/leads", "leads", "250"},
        {"contacts", "/api/v4/contacts", "contacts", "250"},
        {"companies", "/api/v4/companies", "companies", "250"},
        {"tasks", "/api/v4/tasks", "tasks", "250"},
        {"lead notes", "/api/v4/leads/notes", "notes", "250"},
        {"contact notes", "/api/v4/contacts/notes", "notes", "250"},
        {"company notes", "/api/v4/companies/notes", "notes", "250"},
        {"events", "/api/v4/events", "events", "100"},
        {"unsorted", "/api/v4/leads/unsorted", "unsorted", "250"},
        {"customers", "/api/v4/customers", "customers", "250"},
        {"transactions", "/api/v4/customers/transactions", "transactions", "250"},
        {"lists", "/api/v4/catalogs", "catalogs", "250"},
        {"product elements", "/api/v4/catalogs/5001/elements", "elements", "250"},
        {"users", "/api/v4/users", "users", "250"},
        {"pipelines", "/api/v4/leads/pipelines", "pipelines", "250"},
        {"loss reasons", "/api/v4/leads/loss_reasons", "loss_reasons", "250"},
        {"lead tags", "/api/v4/leads/tags", "tags", "250"},
        {"lead custom fields", "/api/v4/leads/custom_fields", "custom_fields", "50"},
    };

    @Option(names = "--leads", defaultValue = "500", description = "Leads in the demo account (default ${DEFAULT-VALUE}).")
    int leads;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the demo account (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        ObjectMapper mapper = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(seed).withLeads(leads))) {
            // This walker is not the product's rate-limited client, so the demo lifts the limit.
            sandbox.limits().enabled = false;
            String token = sandbox.settings().token();
            JsonNode account = get(http, mapper, sandbox.baseUrl() + "/api/v4/account?with=datetime_settings", token);
            System.out.printf("amoCRM sandbox at %s: account %d \"%s\" (%s, timezone %s)%n", sandbox.baseUrl(),
                    account.get("id").asLong(), account.get("name").asText(), account.get("subdomain").asText(),
                    account.at("/_embedded/datetime_settings/timezone").asText());
            Map<String, long[]> counts = new LinkedHashMap<>();
            for (String[] e : ENDPOINTS) {
                long rows = 0;
                long pages = 0;
                String url = sandbox.baseUrl() + e[1] + "?limit=" + e[3];
                while (url != null) {
                    JsonNode page = get(http, mapper, url, token);
                    pages++;
                    if (page == null) {
                        break;
                    }
                    rows += page.path("_embedded").path(e[2]).size();
                    JsonNode next = page.at("/_links/next/href");
                    url = next.isMissingNode() ? null : next.asText();
                }
                counts.put(e[0], new long[] {rows, pages});
            }
            System.out.printf("%n%-20s %8s %8s%n", "endpoint", "rows", "requests");
            counts.forEach((k, v) -> System.out.printf("%-20s %8d %8d%n", k, v[0], v[1]));
            System.out.printf("%nwalked every list in %d requests, %.1f s. Ingest into ./lakehouse comes with the "
                    + "ingest job; meanwhile run `jobs/amocrm-etl sandbox` and point a client at it.%n",
                    sandbox.requests().total(), (System.nanoTime() - started) / 1e9);
        }
        return 0;
    }

    /** The page, or null for 204 (an empty page, reference §3.3). */
    private static JsonNode get(HttpClient http, ObjectMapper mapper, String url, String token) throws Exception {
        HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() == 204) {
            return null;
        }
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + resp.statusCode());
        }
        return mapper.readTree(resp.body());
    }
}
