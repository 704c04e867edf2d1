package io.amocrmetl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.testing.ChildJvm;
import io.amocrmetl.testing.SandboxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four partitions read at once
 * ({@code local[4]}, in a child JVM, so four tasks really run together) under a 7 rps budget. The
 * sandbox enforces 7 starts a second; its request log shows the busiest sliding second within the
 * budget and no 429. ({@link RateSharesIT} covers the shares in this JVM on {@code local[2]}.)
 */
class RateSharesSlowIT {
    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void fourPartitionsAtOnceInLocal4StayWithinSevenPerSecond() throws Exception {
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(23).withLeads(1500))) {
            sandbox.limits().requestsPerSecond = 7;
            sandbox.limits().retryAfterSeconds = 1;
            long now = sandbox.clock().nowSeconds();
            List<String> cmd = ChildJvm.javaCommand("1g");
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FourPartitionsMain.class.getName()));
            SandboxConfig.of(sandbox, dir).forEach((k, v) -> cmd.add(k + "=" + v));
            cmd.addAll(List.of(
                    "entity=tasks",
                    "amocrm.rate-limit.requests-per-second=7",
                    "from=" + (now - 400L * 86400),
                    "to=" + now,
                    "window=20d",
                    "partitions=4"));
            Path out = dir.resolve("child.log");
            Process child = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            assertTrue(child.waitFor(8, TimeUnit.MINUTES), "the child finished");
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, child.exitValue(), text);
            long expected = sandbox.groundTruth().tasks().live().stream()
                    .filter(t -> t.updatedAt() <= now)
                    .count();
            assertTrue(text.contains("ROWS " + expected + "\n"), "every task read once (" + expected + "):\n" + text);
            assertTrue(text.contains("MOST_TASKS_AT_ONCE 4\n"), "four partitions ran at once:\n" + text);
            List<RequestRecord> log = new ArrayList<>(sandbox.requests().snapshot());
            assertTrue(log.size() > 20, "a read of many requests: " + log.size());
            int busiest = RequestLog.busiestWindow(log, SECOND);
            System.out.printf(
                    "four partitions on local[4]: %d requests, busiest sliding second %d (budget 7), 429s %d%n",
                    log.size(), busiest, sandbox.limits().limitedCount());
            assertTrue(busiest <= 7, "busiest second: " + busiest);
            assertEquals(0, sandbox.limits().limitedCount(), "no 429");
        }
    }
}
