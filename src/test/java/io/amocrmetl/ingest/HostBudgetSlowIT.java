package io.amocrmetl.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.Faults;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.testing.ChildJvm;
import io.amocrmetl.testing.SandboxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One request budget per host (docs/api-client.md, "One budget per host"): two accounts served from
 * one IP (the sandbox counts both against one limit of 7 a second, as amoCRM counts per IP) are
 * ingested at once by two processes of one host, each configured for 6 a second. Together they stay
 * within 6 in every second at the server, with no 429. With a budget per process they would send
 * about 12.
 */
class HostBudgetSlowIT {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void twoAccountsIngestedAtOnceFromOneHostShareItsBudget() throws Exception {
        try (Sandbox a = Sandbox.start(SandboxSettings.defaults().withSeed(61).withLeads(60));
                Sandbox b = Sandbox.startBeside(
                        a, SandboxSettings.defaults().withSeed(62).withLeads(60))) {
            a.limits().requestsPerSecond = 7;
            a.limits().retryAfterSeconds = 1;
            // Both runs begin together: each is held at its first request until the other got there.
            Faults.Hold holdA = a.faults().hold("/api/v4/account", 1);
            Faults.Hold holdB = b.faults().hold("/api/v4/account", 1);
            Process runA = ChildJvm.etl(dir.resolve("a.log"), config(a, "a"), Map.of(), "ingest");
            Process runB = ChildJvm.etl(dir.resolve("b.log"), config(b, "b"), Map.of(), "ingest");
            assertTrue(holdA.awaitHeld(5, TimeUnit.MINUTES), output("a"));
            assertTrue(holdB.awaitHeld(5, TimeUnit.MINUTES), output("b"));
            holdA.release();
            holdB.release();
            assertTrue(runA.waitFor(5, TimeUnit.MINUTES), output("a"));
            assertTrue(runB.waitFor(5, TimeUnit.MINUTES), output("b"));
            assertEquals(0, runA.exitValue(), output("a"));
            assertEquals(0, runB.exitValue(), output("b"));

            List<RequestRecord> both = new ArrayList<>(a.requests().snapshot());
            both.addAll(b.requests().snapshot());
            int busiest = RequestLog.busiestWindow(both, SECOND);
            System.out.printf(
                    "two accounts at once: %d + %d requests, busiest second %d, %d 429s%n",
                    a.requests().snapshot().size(),
                    b.requests().snapshot().size(),
                    busiest,
                    a.limits().limitedCount());
            assertEquals(0, a.limits().limitedCount(), "no 429 from the IP's limit");
            assertTrue(busiest <= 6, "the host's budget of 6 held at the server: " + busiest + " in one second");
        }
    }

    private Map<String, String> config(Sandbox sandbox, String name) {
        Map<String, String> c = new LinkedHashMap<>(SandboxConfig.of(sandbox, dir.resolve(name)));
        c.put("amocrm.rate-limit.host-dir", dir.resolve("host").toString()); // one host
        c.put("lake.path", dir.resolve(name).resolve("lake").toString());
        c.put("history.initial-days", "400");
        c.put("amocrm.http.read-timeout", "10m"); // the first request is held until both runs are there
        return c;
    }

    private String output(String name) throws java.io.IOException {
        Path log = dir.resolve(name + ".log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    }
}
