package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scale (docs/sandbox.md): a 2,000,000-lead account served from a child JVM at
 * -Xmx512m, walked by keyset on updated_at while 1% of the leads are mutated during the walk.
 * Every id that existed before the walk must come back. Figures go to stdout for the notes.
 */
class ScaleSlowIT {
    static final int LEADS = 2_000_000;
    static final JsonFactory JSON = new JsonFactory();
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String url;

    private byte[] get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .header("Authorization", "Bearer " + SandboxSettings.DEFAULT_TOKEN)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 204) {
            return null;
        }
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    private void post(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
    }

    /** One page's (id, updated_at) pairs and whether a next link exists, by streaming parse. */
    private record Page(long[] ids, long[] updated, boolean hasNext) {}

    private static Page parse(byte[] body) throws IOException {
        List<long[]> rows = new ArrayList<>();
        boolean next = false;
        try (JsonParser p = JSON.createParser(body)) {
            int depth = 0;
            long id = 0;
            long updated = 0;
            while (p.nextToken() != null) {
                JsonToken t = p.currentToken();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                    if (t == JsonToken.END_OBJECT && depth == 3) {
                        rows.add(new long[] {id, updated});
                    }
                } else if (t == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (depth == 2 && name.equals("next")) {
                        next = true;
                    } else if (depth == 4 && name.equals("id")) {
                        p.nextToken();
                        id = p.getLongValue();
                    } else if (depth == 4 && name.equals("updated_at")) {
                        p.nextToken();
                        updated = p.getLongValue();
                    }
                }
            }
        }
        return new Page(
                rows.stream().mapToLong(r -> r[0]).toArray(),
                rows.stream().mapToLong(r -> r[1]).toArray(),
                next);
    }

    private static long[] parseIds(byte[] body) throws IOException {
        long[] out = new long[LEADS + 16];
        int n = 0;
        try (JsonParser p = JSON.createParser(body)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                    out[n++] = p.getLongValue();
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void keysetWalkOfTwoMillionLeadsLosesNothingWhileOnePercentChange() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of("jobs/amocrm-etl").toAbsolutePath().toString(),
                        "sandbox",
                        "--port",
                        "0",
                        "--leads",
                        String.valueOf(LEADS),
                        "--seed",
                        "2",
                        "--control",
                        "--no-rate-limit")
                .redirectErrorStream(true);
        pb.environment().put("JAVA_OPTS", "-Xmx512m");
        Process sandbox = pb.start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8));
            Pattern ready = Pattern.compile("ready at (http://127\\.0\\.0\\.1:\\d+)");
            StringBuilder seenLines = new StringBuilder();
            for (String line; url == null && (line = out.readLine()) != null; ) {
                seenLines.append(line).append('\n');
                Matcher m = ready.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertTrue(url != null, "sandbox did not start:\n" + seenLines);
            Thread drain = new Thread(() -> out.lines().forEach(l -> System.out.println("sandbox: " + l)), "drain");
            drain.setDaemon(true);
            drain.start();

            long started = System.nanoTime();
            long[] before = parseIds(get("/_sandbox/truth/ids?entity=leads"));
            assertEquals(LEADS, before.length);
            long walkStart =
                    Long.parseLong(new String(get("/_sandbox/truth")).replaceAll(".*\"taken_at\":(\\d+).*", "$1"));

            // Exactly 1% of the leads (20,000 distinct ids), picked up front, mutated a few per page
            // while the walk is in the base region (so the walk meets each change as it happens).
            SplittableRandom rnd = new SplittableRandom(99);
            long[] victims = rnd.ints(0, LEADS)
                    .distinct()
                    .limit(LEADS / 100)
                    .mapToLong(i -> before[i])
                    .toArray();
            assertEquals(LEADS / 100, victims.length);
            assertEquals(LEADS / 100, Arrays.stream(victims).distinct().count(), "distinct ids");
            int mutated = 0;
            boolean[] seen = new boolean[before.length];
            long walkStarted = System.nanoTime();
            long cursor = 0;
            int page = 1;
            int requests = 0;
            int pageNumbered = 0;
            while (true) {
                byte[] body = get("/api/v4/leads?limit=250&order[updated_at]=asc&filter[updated_at][from]=" + cursor
                        + (page > 1 ? "&page=" + page : ""));
                requests++;
                if (body == null) {
                    break;
                }
                Page p = parse(body);
                for (long id : p.ids()) {
                    int at = Arrays.binarySearch(before, id);
                    if (at >= 0) {
                        seen[at] = true;
                    }
                }
                if (mutated < victims.length && cursor < walkStart) {
                    StringBuilder ids = new StringBuilder();
                    for (int k = 0; k < 4 && mutated < victims.length; k++, mutated++) {
                        ids.append(k == 0 ? "" : ",").append(victims[mutated]);
                    }
                    post("/_sandbox/mutate?op=touch&ids=" + ids);
                }
                if (!p.hasNext()) {
                    break;
                }
                long first = p.updated()[0];
                long last = p.updated()[p.updated().length - 1];
                if (first == last && last == cursor) {
                    page++; // a whole page inside one second: page numbers within it
                    pageNumbered++;
                } else {
                    cursor = last; // keyset: the next read starts at the last second seen
                    page = 1;
                }
            }
            double walkSeconds = (System.nanoTime() - walkStarted) / 1e9;
            double seconds = (System.nanoTime() - started) / 1e9;
            int missing = 0;
            for (boolean s : seen) {
                missing += s ? 0 : 1;
            }
            String counters = new String(get("/_sandbox/counters"));
            long heapMax = Long.parseLong(counters.replaceAll(".*\"heap_max_bytes\":(\\d+).*", "$1"));
            long heapUsed = Long.parseLong(counters.replaceAll(".*\"heap_used_bytes\":(\\d+).*", "$1"));
            System.out.printf(
                    "SCALE: walk of %d leads took %.1f s (%d requests, %d page-numbered, %.1f ms/request)%n",
                    before.length, walkSeconds, requests, pageNumbered, walkSeconds * 1000 / requests);
            System.out.printf(
                    "SCALE: %d leads, %d mutated during the walk, %d requests (%d page-numbered), %.1f s in all, "
                            + "missing %d, sandbox heap used %d MB of max %d MB%n",
                    before.length, mutated, requests, pageNumbered, seconds, missing, heapUsed >> 20, heapMax >> 20);
            assertEquals(victims.length, mutated, "every planned mutation happened during the walk");
            assertEquals(0, missing, "ids that existed before the walk were not returned");
            assertTrue(heapMax <= 512L << 20, "the sandbox ran with -Xmx512m: " + heapMax);
            assertTrue(sandbox.isAlive(), "the sandbox survived the walk");
        } finally {
            sandbox.destroy();
            sandbox.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
