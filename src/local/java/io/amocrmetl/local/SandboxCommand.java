package io.amocrmetl.local;

import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sandbox}: serves a seeded amoCRM account on loopback until stopped. */
@Command(
        name = "sandbox",
        mixinStandardHelpOptions = true,
        description = "Serve a seeded, simulated amoCRM API v4 account on 127.0.0.1 until stopped (Ctrl-C).")
final class SandboxCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            defaultValue = "8089",
            description = "Port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed: the same seed gives the same account (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--leads",
            defaultValue = "1000",
            description =
                    "About how many leads; contacts 1.5x, companies 0.3x, tasks 1x, notes 2x, events ~5x (default ${DEFAULT-VALUE}).")
    int leads;

    @Option(
            names = "--token",
            description = "The long-lived token the API accepts (default: the sandbox's documented token).")
    String token;

    @Option(
            names = "--history-days",
            defaultValue = "365",
            description = "How far back the data reaches (default ${DEFAULT-VALUE}).")
    int historyDays;

    @Option(
            names = "--control",
            description = "Serve the control API's HTTP mirror under /_sandbox/ (for scripts and benchmarks).")
    boolean control;

    @Option(
            names = "--events-page",
            defaultValue = "100",
            description = "Events page cap, 100 or 250 (docs/amocrm-api.md §9.6; default ${DEFAULT-VALUE}).")
    int eventsPage;

    @Option(
            names = "--rps",
            defaultValue = "7",
            description = "Request starts allowed in any sliding second (default ${DEFAULT-VALUE}, as amoCRM).")
    int rps;

    @Option(
            names = "--retry-after",
            defaultValue = "300",
            description = "retry_after in 429 answers, seconds (default ${DEFAULT-VALUE}, as amoCRM).")
    int retryAfter;

    @Option(
            names = "--no-rate-limit",
            description = "Serve without the rate limit (for benchmarks of the sandbox itself).")
    boolean noRateLimit;

    @Option(
            names = "--no-api-filters",
            description = "Report is_api_filter_enabled=false and ignore list filters (docs/amocrm-api.md §4.2).")
    boolean noApiFilters;

    @Option(
            names = "--prerender",
            description = "Serve repeated GETs from responses rendered once, until the account "
                    + "changes (for benchmarks of readers).")
    boolean prerender;

    @Override
    public Integer call() throws InterruptedException {
        SandboxSettings settings = SandboxSettings.defaults()
                .withPort(port)
                .withSeed(seed)
                .withLeads(leads)
                .withHistoryDays(historyDays)
                .withControlHttp(control)
                .withEventsPageMax(eventsPage)
                .withApiFilterEnabled(!noApiFilters);
        if (token != null) {
            settings = settings.withToken(token);
        }
        Sandbox sandbox = Sandbox.start(settings);
        sandbox.limits().requestsPerSecond = rps;
        sandbox.limits().retryAfterSeconds = retryAfter;
        sandbox.limits().enabled = !noRateLimit;
        sandbox.prerender(prerender);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sandbox.close();
                            stopped.countDown();
                        },
                        "sandbox-shutdown"));
        // Counts from id lists, not ground truth: cheap for an account of millions.
        System.out.printf(
                "amoCRM sandbox ready at %s  (account %d \"%s\", seed %d: %d leads, %d contacts, %d companies, %d tasks)%n",
                sandbox.baseUrl(),
                sandbox.account().account().id(),
                sandbox.account().account().name(),
                seed,
                sandbox.account().liveIds("leads").length,
                sandbox.account().liveIds("contacts").length,
                sandbox.account().liveIds("companies").length,
                sandbox.account().liveIds("tasks").length);
        System.out.println("auth: Authorization: Bearer <"
                + (token == null ? "the default sandbox token, " + "see docs/sandbox.md" : "the token given by --token")
                + ">, or OAuth at /oauth2/access_token; rate limit: "
                + (noRateLimit ? "off" : rps + " requests/s") + (control ? "; control API at /_sandbox/" : ""));
        System.out.flush();
        stopped.await();
        return 0;
    }
}
