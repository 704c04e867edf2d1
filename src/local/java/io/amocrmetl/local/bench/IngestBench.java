package io.amocrmetl.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.ingest.IngestJob;
import io.amocrmetl.lake.SparkSessions;
import io.amocrmetl.sandbox.SandboxSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench ingest} (docs/benchmarks.md): a first full ingest of a sandbox account (own JVM)
 * into a fresh lake, twice: rate-limited as amoCRM is (achieved rate against the configured one,
 * 429s, and the share of wall time not fetching, which shows whether Delta writes overlap the
 * fetching), then without a limit (leads per second into Delta). Targets: docs/benchmarks.md.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Ingest benchmark: achieved request rate and idle share at 7 rps, and leads/s without a limit.")
public final class IngestBench implements Callable<Integer> {
    @Option(
            names = "--leads",
            defaultValue = "50000",
            description =
                    "Leads in the sandbox; contacts, companies and tasks in proportion (default ${DEFAULT-VALUE}).")
    int leads;

    @Option(
            names = "--rate",
            defaultValue = "6",
            description = "The client's requests per second, 1..7 (default ${DEFAULT-VALUE}, the product's default).")
    int rate;

    @Option(
            names = "--tables",
            defaultValue = "leads,contacts,companies,tasks",
            description = "Tables to load (default ${DEFAULT-VALUE}).")
    String tables;

    @Option(names = "--skip-limited", description = "Only the run without a rate limit.")
    boolean skipLimited;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("ingest-bench");
        SparkSession spark = SparkSessions.create("bench");
        spark.sparkContext().setLogLevel("WARN");
        boolean ok = true;
        if (!skipLimited) {
            ok &= limited(spark, work.resolve("limited"));
        }
        unlimited(spark, work.resolve("unlimited"));
        spark.stop();
        return ok ? 0 : 1;
    }

    private boolean limited(SparkSession spark, Path dir) throws Exception {
        Process server = sandbox(false);
        try {
            String url = awaitUrl(server);
            System.out.printf(
                    "%n== rate-limited: sandbox at 7 rps (own JVM), client at %d rps, %d leads%n", rate, leads);
            Map<String, String> config = config(url, dir);
            config.put("amocrm.rate-limit.requests-per-second", String.valueOf(rate));
            // The lake's 38 empty tables are made before the clock starts: a one-off of the first
            // run, not the overlap of writes with fetching this measures.
            io.amocrmetl.lake.Lake.open(spark, dir.resolve("lake").toString());
            long t0 = System.currentTimeMillis();
            IngestJob.Result r = IngestJob.run(
                    spark,
                    EtlConfig.load(null, config),
                    config,
                    new IngestJob.Options(List.of(tables.split(","))),
                    System.out);
            long t1 = System.currentTimeMillis();
            List<long[]> log = requests(url); // {start_ms, status}
            long n = log.size();
            long tooMany = log.stream().filter(x -> x[1] == 429).count();
            long first = log.get(0)[0];
            long last = log.get(log.size() - 1)[0];
            // Not fetching: time in which no request could have been due. The limiter lets N starts
            // go at once and then holds the next until a window after the oldest, so a saturated
            // client starts bursts about a window apart; only a gap longer than the window (plus
            // scheduling slack) is idle, beyond the window. So is the time before the first
            // request and after the last.
            double window = 1000.0 + 50 + 150;
            double idle = (first - t0) + (t1 - last);
            List<String> gaps = new ArrayList<>();
            for (int i = 1; i < log.size(); i++) {
                double gap = log.get(i)[0] - log.get(i - 1)[0];
                if (gap > window) {
                    idle += gap - window;
                    if (gap > 3000) {
                        gaps.add(String.format("%.1f s at +%.1f s", gap / 1000.0, (log.get(i - 1)[0] - t0) / 1000.0));
                    }
                }
            }
            double fetching = (t1 - t0) - idle;
            double achieved = n / (fetching / 1000.0);
            System.out.printf(
                    "requests %d in %.1f s wall (%d rows): achieved %.2f starts/s while fetching against %d "
                            + "configured = %.1f%% (target >= 95%%); 429s: %d (target 0); not fetching %.1f s = %.1f%% of wall "
                            + "(target < 10%%): %.1f s before the first request, %.1f s after the last; first-to-last request span "
                            + "%.1f s = %.2f starts/s on average%n",
                    n,
                    (t1 - t0) / 1000.0,
                    rows(r),
                    achieved,
                    rate,
                    100 * achieved / rate,
                    tooMany,
                    idle / 1000.0,
                    100 * idle / (t1 - t0),
                    (first - t0) / 1000.0,
                    (t1 - last) / 1000.0,
                    (last - first) / 1000.0,
                    n / ((last - first) / 1000.0));
            System.out.println(
                    "gaps over 3 s between request starts: " + (gaps.isEmpty() ? "none" : String.join(", ", gaps)));
            return tooMany == 0 && achieved / rate >= 0.95 && idle / (t1 - t0) < 0.10;
        } finally {
            server.destroy();
        }
    }

    private void unlimited(SparkSession spark, Path dir) throws Exception {
        Process server = sandbox(true);
        try {
            String url = awaitUrl(server);
            System.out.printf("%n== no rate limit: the same account, %d leads%n", leads);
            Map<String, String> config = config(url, dir);
            config.put("amocrm.rate-limit.unlimited", "true");
            long t0 = System.nanoTime();
            IngestJob.Result r = IngestJob.run(
                    spark,
                    EtlConfig.load(null, config),
                    config,
                    new IngestJob.Options(List.of(tables.split(","))),
                    System.out);
            double s = (System.nanoTime() - t0) / 1e9;
            // Counted in the lake: what arrived, not what the journal says was read.
            long leadRows = spark.read()
                    .format("delta")
                    .load(dir.resolve("lake/leads").toString())
                    .count();
            System.out.printf(
                    "%d leads (%d rows in all tables, %d requests) in %.1f s: %.0f leads/s into Delta, child "
                            + "tables included%n",
                    leadRows, rows(r), requests(url).size(), s, leadRows / s);
        } finally {
            server.destroy();
        }
    }

    private static long rows(IngestJob.Result r) {
        return r.entries().stream().mapToLong(e -> e.rowsRead).sum();
    }

    private Map<String, String> config(String url, Path dir) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("amocrm.base-url", url);
        m.put("amocrm.auth.long-lived-token", SandboxSettings.DEFAULT_TOKEN);
        m.put("amocrm.auth.token-store", dir.resolve("state/tokens.json").toString());
        m.put("lake.path", dir.resolve("lake").toString());
        m.put("history.initial-days", "400"); // the whole account: a first full copy
        return m;
    }

    private Process sandbox(boolean noLimit) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-Xmx2g",
                "-cp",
                System.getProperty("java.class.path"),
                "io.amocrmetl.local.LocalMain",
                "sandbox",
                "--port",
                "0",
                "--seed",
                "8",
                "--leads",
                String.valueOf(leads),
                "--control",
                "--rps",
                "7",
                "--retry-after",
                "1"));
        if (noLimit) {
            cmd.add("--no-rate-limit");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String awaitUrl(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern ready = Pattern.compile("ready at (http://\\S+)");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = ready.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "sandbox-output");
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new IllegalStateException("the sandbox JVM exited before it was ready");
    }

    /** The API requests the sandbox logged, in order: {start_ms, status}. */
    private static List<long[]> requests(String url) throws Exception {
        JsonNode body = JSON.readTree(HTTP.send(
                        HttpRequest.newBuilder(URI.create(url + "/_sandbox/requests"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        List<long[]> out = new ArrayList<>();
        for (JsonNode r : body.path("requests")) {
            if (!r.path("target").asText().startsWith("/_sandbox/")) {
                out.add(new long[] {
                    r.path("start_ms").asLong(), r.path("status").asLong()
                });
            }
        }
        out.sort((a, b) -> Long.compare(a[0], b[0]));
        return out;
    }
}
