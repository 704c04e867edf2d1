package io.amocrmetl.local;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.ingest.IngestJob;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.lake.SparkSessions;
import io.amocrmetl.marts.MartsJob;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Lead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the README's first command. It starts an embedded sandbox with a seeded account,
 * ingests it into {@code ./lakehouse}, changes the account, ingests again, and prints what landed
 * and three analytic queries over it.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Ingest an embedded amoCRM sandbox account into ./lakehouse twice (with changes between) and "
                + "print a summary.")
final class DemoCommand implements Callable<Integer> {
    /** Marks a lake the demo made, so a later demo may replace it (and never a lake it did not make). */
    static final String MARKER = ".amocrm-etl-demo";

    @Option(
            names = "--leads",
            defaultValue = "500",
            description = "Leads in the demo account (default ${DEFAULT-VALUE}).")
    int leads;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the demo account (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--lake",
            defaultValue = "lakehouse",
            description = "Where the lake goes (default ./${DEFAULT-VALUE}).")
    Path lake;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        prepare(lake);
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(seed).withLeads(leads))) {
            // The demo talks to a sandbox on loopback, so it lifts the rate limit to run in seconds;
            // against a real account the client never exceeds amocrm.rate-limit.requests-per-second.
            sandbox.limits().enabled = false;
            Map<String, String> config = new LinkedHashMap<>();
            config.put("amocrm.source-name", "demo");
            config.put("amocrm.base-url", sandbox.baseUrl());
            config.put("amocrm.auth.long-lived-token", sandbox.settings().token());
            config.put(
                    "amocrm.auth.token-store",
                    lake.toAbsolutePath().resolve(".state/tokens.json").toString());
            config.put("amocrm.rate-limit.unlimited", "true");
            config.put("amocrm.custom-fields.ga-client-id", "GA Client ID");
            config.put("amocrm.custom-fields.request-id", "ID заявки");
            config.put("lake.path", lake.toAbsolutePath().toString());
            config.put("history.initial-days", "400");
            config.put("ingest.window", "400d");
            for (String t :
                    List.of("notes", "events", "catalogs", "catalog_elements", "customers", "customer_transactions")) {
                config.put("tables." + t + ".enabled", "true");
            }
            EtlConfig cfg = EtlConfig.load(null, config);
            System.out.printf(
                    "amoCRM sandbox at %s: account %d \"%s\" with %d leads (seed %d)%n%n",
                    sandbox.baseUrl(),
                    sandbox.account().account().id(),
                    sandbox.account().account().name(),
                    leads,
                    seed);
            SparkSession spark = SparkSessions.create("demo");
            spark.sparkContext().setLogLevel("WARN");

            System.out.println("== first ingest: the whole account");
            IngestJob.Result first = IngestJob.run(spark, cfg, config, new IngestJob.Options(null), System.out);
            String changes = change(sandbox);
            System.out.println("\n== the account changes: " + changes);
            System.out.println("\n== second ingest: only what changed");
            IngestJob.Result second = IngestJob.run(spark, cfg, config, new IngestJob.Options(null), System.out);

            System.out.println("\n== marts: the analysis tables and views the notebooks read");
            MartsJob.run(spark, cfg, null, System.out);

            Lake l = Lake.readOnly(spark, lake.toAbsolutePath().toString());
            summary(l, sandbox.account().account().id(), first, second, started);
        }
        return ExitCode.OK.code;
    }

    /** An empty or demo-made folder is (re)used; anything else is refused, never deleted. */
    static void prepare(Path lake) throws IOException {
        if (Files.exists(lake)) {
            boolean empty;
            try (var files = Files.list(lake)) {
                empty = files.findAny().isEmpty();
            }
            if (!empty && !Files.exists(lake.resolve(MARKER))) {
                throw new EtlException(
                        ExitCode.BAD_CONFIG,
                        lake.toAbsolutePath() + " exists and was not made by the demo; "
                                + "choose another folder with --lake");
            }
            try (var walk = Files.walk(lake)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(lake);
        Files.writeString(lake.resolve(MARKER), "made by `amocrm-etl demo`; the next demo replaces this folder\n");
    }

    /** A morning's worth of edits: renames, prices, won and lost deals, new leads, tags, a deletion. */
    static String change(Sandbox sandbox) {
        sandbox.clock().advance(Duration.ofMinutes(5));
        AccountData a = sandbox.account();
        GroundTruth t = sandbox.groundTruth();
        List<Lead> open = t.leads().live().stream()
                .filter(l -> l.statusId() != 142 && l.statusId() != 143)
                .limit(40)
                .toList();
        int won = 0;
        int lost = 0;
        for (int i = 0; i < open.size(); i++) {
            Lead l = open.get(i);
            if (i % 4 == 0) {
                a.changeLeadStatus(l.id(), 142);
                won++;
            } else if (i % 4 == 1) {
                a.changeLeadStatus(l.id(), 143);
                lost++;
            } else if (i % 4 == 2) {
                a.updateLeadPrice(l.id(), 10_000L + i * 1_000L);
            } else {
                a.addLeadTag(l.id(), "из демо");
            }
        }
        for (int i = 0; i < 10; i++) {
            a.addLead("Новая сделка демо #" + (i + 1), 25_000L + i * 5_000L);
        }
        a.delete("leads", t.leads().live().get(t.leads().live().size() - 1).id());
        // Past ingest.margin (30 s): the next run's window ends at server time minus the margin, and
        // changes younger than that are left for the run after it.
        sandbox.clock().advance(Duration.ofSeconds(35));
        return won + " leads won, " + lost + " lost, " + (open.size() / 4) + " repriced, " + (open.size() / 4)
                + " tagged, 10 new, 1 deleted";
    }

    private static void summary(
            Lake lake, long account, IngestJob.Result first, IngestJob.Result second, long started) {
        SparkSession spark = lake.spark();
        lake.registerViews();
        System.out.printf("%n== the lake at %s%n", lake.root());
        System.out.printf("%-36s %8s%n", "table", "rows");
        long tables = 0;
        for (LakeTable t : Tables.all()) {
            if (t.role() == LakeTable.Role.SYSTEM && !t.name().equals(Tables.JOURNAL)) {
                continue;
            }
            long n = lake.read(t.name(), account).count();
            if (n > 0) {
                tables++;
                System.out.printf("%-36s %8d%n", t.name(), n);
            }
        }
        System.out.printf(
                "%n%d tables; first ingest %d requests in %.1f s, second %d requests in %.1f s; demo %.1f s in all%n",
                tables,
                first.requests(),
                first.seconds(),
                second.requests(),
                second.seconds(),
                (System.nanoTime() - started) / 1e9);

        query(
                spark,
                "Open pipeline by stage: leads and amount",
                "SELECT p.name AS pipeline, s.name AS stage, count(*) AS leads, sum(l.price) AS amount "
                        + "FROM leads l JOIN statuses s ON s.id = l.status_id AND s.pipeline_id = l.pipeline_id "
                        + "JOIN pipelines p ON p.id = l.pipeline_id WHERE NOT l.is_deleted AND l.status_id NOT IN (142, 143) "
                        + "GROUP BY p.name, s.name, p.sort, s.sort ORDER BY p.sort, s.sort LIMIT 12");
        query(
                spark,
                "Won revenue by manager",
                "SELECT u.name AS manager, count(*) AS won, sum(l.price) AS revenue FROM leads l "
                        + "JOIN users u ON u.id = l.responsible_user_id WHERE NOT l.is_deleted AND l.status_id = 142 "
                        + "GROUP BY u.name ORDER BY revenue DESC LIMIT 10");
        query(
                spark,
                "Stage changes by month (lead_status_history)",
                "SELECT date_format(changed_at, 'yyyy-MM') AS month, count(*) AS changes, "
                        + "count_if(to_status_id = 142) AS won, count_if(to_status_id = 143) AS lost "
                        + "FROM lead_status_history GROUP BY 1 ORDER BY 1 DESC LIMIT 6");
        System.out.printf(
                "%nExplore it: jobs/amocrm-etl sql --set lake.path=%s \"SELECT * FROM sales_funnel\"%n", lake.root());
        System.out.println(
                "Notebooks on it: jobs/notebooks kernel, then notebooks/*.ipynb in Jupyter (see docs/marts-and-notebooks.md)");
    }

    private static void query(SparkSession spark, String title, String sql) {
        System.out.printf("%n-- %s%n", title);
        List<Row> rows = spark.sql(sql).collectAsList();
        String[] cols = spark.sql(sql).columns();
        StringBuilder header = new StringBuilder();
        for (String c : cols) {
            header.append(String.format("%-28s", c));
        }
        System.out.println(header.toString().stripTrailing());
        for (Row r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols.length; i++) {
                Object v = r.get(i);
                String s = v instanceof java.math.BigDecimal d ? String.format("%,.2f", d) : String.valueOf(v);
                line.append(String.format("%-28s", s.length() > 27 ? s.substring(0, 26) + "…" : s));
            }
            System.out.println(line.toString().stripTrailing());
        }
    }
}
