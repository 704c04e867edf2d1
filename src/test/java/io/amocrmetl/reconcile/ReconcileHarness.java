package io.amocrmetl.reconcile;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.ingest.IngestJob;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.testing.Folders;
import io.amocrmetl.testing.SandboxConfig;
import io.amocrmetl.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A sandbox and a lake already ingested from it, for reconcile tests. The ingest runs once per
 * JVM; each harness copies that lake and starts a sandbox of the same seed and clock start (so the
 * same account, the same ground truth) with its clock moved past the ingest. A Delta table's log
 * holds relative paths, so a copied lake is a lake in its own right.
 */
final class ReconcileHarness implements AutoCloseable {
    static final String GA = "GA Client ID";
    static final String REQUEST_ID = "ID заявки";
    /** 600 leads over 90 days ending 2025-04-20: 2025-03-31T21:30Z is inside, and the account is in Europe/Moscow. */
    static final SandboxSettings SETTINGS = SandboxSettings.defaults()
            .withSeed(1010)
            .withLeads(600)
            .withHistoryDays(90)
            .withClockStart(Instant.parse("2025-04-20T12:00:00Z"));

    private static Path template;
    private static Instant ingestedUntil;

    final Sandbox sandbox;
    final Path dir;
    final Map<String, String> config = new LinkedHashMap<>();
    final SparkSession spark = SparkTestSession.get();
    String lastOutput = "";

    ReconcileHarness(Path dir) {
        ingestOnce();
        this.sandbox = Sandbox.start(SETTINGS);
        this.dir = dir;
        sandbox.clock().advance(Duration.between(sandbox.clock().now(), ingestedUntil));
        config.putAll(settings(sandbox, dir));
        copy(template, dir.resolve("lake"));
    }

    private static Map<String, String> settings(Sandbox sandbox, Path dir) {
        Map<String, String> c = new LinkedHashMap<>(SandboxConfig.fast(sandbox, dir));
        c.put("lake.path", dir.resolve("lake").toString());
        c.put("history.initial-days", "100");
        c.put("ingest.margin", "0s");
        c.put("ingest.window", "400d");
        c.put("amocrm.custom-fields.ga-client-id", GA);
        c.put("amocrm.custom-fields.request-id", REQUEST_ID);
        return c;
    }

    /** The lake every harness starts from: one ingest of the sandbox, made once per JVM. */
    private static synchronized void ingestOnce() {
        if (template != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("reconcile-template");
            io.amocrmetl.testing.LakeTemplate.copyTo(dir.resolve("lake"));
            try (Sandbox s = Sandbox.start(SETTINGS)) {
                Map<String, String> c = settings(s, dir);
                s.clock().advance(Duration.ofSeconds(2));
                IngestJob.run(
                        SparkTestSession.get(),
                        EtlConfig.load(null, c),
                        c,
                        new IngestJob.Options(java.util.List.of("leads", "contacts", "companies", "tasks")),
                        System.out);
                ingestedUntil = s.clock().now().plusSeconds(2);
            }
            template = dir.resolve("lake");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Folders.copyTree(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs reconcile once, after moving the sandbox clock past every change made so far. */
    ReconcileJob.Result reconcile(ReconcileJob.Options options) {
        sandbox.clock().advance(Duration.ofSeconds(2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            try {
                return ReconcileJob.run(spark, EtlConfig.load(null, config), config, options, p);
            } finally {
                lastOutput = out.toString(StandardCharsets.UTF_8);
                System.out.print(lastOutput);
            }
        }
    }

    Lake lake() {
        return Lake.readOnly(spark, config.get("lake.path"));
    }

    long account() {
        return sandbox.account().account().id();
    }

    /** Every table's latest Delta version, from its log folder (no Spark job). */
    Map<String, Long> versions() {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (var tables = Files.list(dir.resolve("lake"))) {
            for (Path t : tables.toList()) {
                if (!Files.isDirectory(t.resolve("_delta_log"))) {
                    continue; // not a table: _leases, a landing folder
                }
                long v = -1;
                try (var log = Files.list(t.resolve("_delta_log"))) {
                    for (Path f : log.toList()) {
                        String n = f.getFileName().toString();
                        if (n.matches("\\d{20}\\.json")) {
                            v = Math.max(v, Long.parseLong(n.substring(0, 20)));
                        }
                    }
                }
                out.put(t.getFileName().toString(), v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
