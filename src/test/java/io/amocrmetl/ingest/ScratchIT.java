package io.amocrmetl.ingest;

import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.testing.SandboxConfig;
import io.amocrmetl.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchIT {
    @TempDir
    Path dir;

    @Test
    void scratch() {
        try (Sandbox sb = Sandbox.start(SandboxSettings.defaults().withLeads(300))) {
            Map<String, String> cfg = new LinkedHashMap<>(SandboxConfig.fast(sb, dir));
            cfg.put("lake.path", dir.resolve("lake").toString());
            cfg.put("history.initial-days", "400");
            for (String t : List.of("notes", "events", "catalogs", "catalog_elements", "customers", "customer_transactions")) {
                cfg.put("tables." + t + ".enabled", "true");
            }
            EtlConfig config = EtlConfig.load(null, cfg);
            var spark = SparkTestSession.get();
            long t0 = System.nanoTime();
            IngestJob.run(spark, config, cfg, new IngestJob.Options(null), System.out);
            System.out.println("SCRATCH first run " + (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            IngestJob.run(spark, config, cfg, new IngestJob.Options(null), System.out);
            System.out.println("SCRATCH second run " + (System.nanoTime() - t0) / 1e9);
        }
    }
}
