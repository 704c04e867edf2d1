package io.amocrmetl.local.bench;

import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.api.LongLivedToken;
import io.amocrmetl.api.RateLimiter;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.http.RequestLog;
import io.amocrmetl.sandbox.http.RequestRecord;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench client-rate}: the API client's limiter over a long run, too long for a test
 * (docs/benchmarks.md). Threads fetch lead pages for a fixed time against a sandbox
 * enforcing amoCRM's 7 rps; the report compares the achieved rate with the configured one and
 * gives the busiest sliding second the server saw and its 429s.
 */
@Command(
        name = "client-rate",
        mixinStandardHelpOptions = true,
        description = "Long-run check of the client's rate limiter against the sandbox's 7 rps limit.")
public final class ClientRateBench implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "60", description = "How long to run (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--threads", defaultValue = "4", description = "Concurrent callers (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--rps", defaultValue = "6", description = "The client's budget (default ${DEFAULT-VALUE}).")
    int rps;

    @Override
    public Integer call() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().withLeads(5000))) {
            sandbox.limits().requestsPerSecond = 7;
            ClientSettings settings =
                    ClientSettings.of(sandbox.baseUrl(), rps, Files.createTempDirectory("bench-state"));
            AmoClient client = new AmoClient(
                    settings,
                    new LongLivedToken(sandbox.settings().token()),
                    new RateLimiter(rps, settings.rateMarginMillis()));
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            AtomicLong done = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            long started = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                final int offset = t;
                Thread w = new Thread(
                        () -> {
                            for (int page = 1 + offset; System.nanoTime() < deadline; page = page % 20 + 1) {
                                client.getObject("/api/v4/leads?limit=250&page=" + page);
                                done.incrementAndGet();
                            }
                        },
                        "bench-" + t);
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            List<RequestRecord> log = sandbox.requests().snapshot();
            double achieved = log.size() / elapsed;
            System.out.printf(
                    "client-rate: %d threads, %.1f s, %d requests, %.2f req/s achieved of %d configured "
                            + "(%.1f%%), busiest sliding second %d, 429s %d, limiter wait %.1f s, %.1f MB read%n",
                    threads,
                    elapsed,
                    log.size(),
                    achieved,
                    rps,
                    100 * achieved / rps,
                    RequestLog.busiestWindow(log, 1_000_000_000L),
                    sandbox.limits().limitedCount(),
                    client.limiterWaitMillis() / 1000.0,
                    client.metrics().bytes() / 1e6);
            return sandbox.limits().limitedCount() == 0 && RequestLog.busiestWindow(log, 1_000_000_000L) <= rps ? 0 : 1;
        }
    }
}
