package io.amocrmetl.doctor;

import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.AuthProvider;
import io.amocrmetl.api.BlockState;
import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.api.RetryPolicy;
import io.amocrmetl.api.TokenStore;
import io.amocrmetl.auth.AccountFacts;
import io.amocrmetl.auth.ConnectionRecord;
import io.amocrmetl.auth.Jwt;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.state.AccountProbes;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code doctor [--probe]}: says what is wrong before a long run, one line per check marked ok,
 * warning or error, with the fix: the config, the lake, a block, the token, the account and the
 * user, the API filters, customers, the clock, the field mappings and the webhooks. Read-only
 * towards amoCRM (about five requests, within the rate); {@code --probe} adds {@link Probes} and
 * records them. Exits 0 unless a check failed, else with the first error's code.
 */
public final class Doctor {
    /** Doctor answers quickly: a few attempts, never the long backoff of a run. */
    static final RetryPolicy QUICK =
            new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15));

    private final PrintStream out;
    private int errors;
    private int warnings;
    private ExitCode first;

    private Doctor(PrintStream out) {
        this.out = out;
    }

    /**
     * @param sink where probes are recorded (null: not recorded)
     */
    public static int run(Supplier<EtlConfig> loader, boolean probe, ProbeSink sink, PrintStream out, Clock clock) {
        Doctor d = new Doctor(out);
        AmoClient client = d.checks(loader, probe, sink, clock);
        out.printf(
                "doctor: %d error%s, %d warning%s%s%n",
                d.errors,
                d.errors == 1 ? "" : "s",
                d.warnings,
                d.warnings == 1 ? "" : "s",
                client == null ? "" : ", " + client.metrics().requests() + " requests");
        return d.first == null ? ExitCode.OK.code : d.first.code;
    }

    /** Runs the checks in order; stops where the next ones cannot run. Returns the client, if one was made. */
    private AmoClient checks(Supplier<EtlConfig> loader, boolean probe, ProbeSink sink, Clock clock) {
        EtlConfig config;
        AmoSettings amo;
        try {
            config = loader.get();
            amo = config.amocrm().requireAuth();
        } catch (EtlException e) {
            add(Check.error(
                    "config",
                    e.getMessage(),
                    "fix the key it names (conf/reference.conf documents each)",
                    e.exitCode()));
            return null;
        }
        out.printf("doctor: source %s at %s%n", amo.sourceName(), amo.baseUrl());
        add(Check.ok(
                "config",
                "valid (" + (amo.usesOAuth() ? "OAuth" : "long-lived token") + ", "
                        + (amo.unlimited() ? "no rate limit" : amo.requestsPerSecond() + " requests/s") + ")"));
        add(LakeWritable.check(config.lakePath()));
        Instant now = clock.instant();
        BlockState stops = new BlockState(amo.stateDir(), amo.rateLimitPerHost() ? amo.rateLimitDir() : null);
        Instant blocked = stops.blockedUntil(now);
        if (blocked != null) {
            add(Check.error(
                    "blocked",
                    "amoCRM blocked this caller; no request is sent before " + blocked,
                    "wait, or ask amoCRM support to lift the block (docs/amocrm-api.md §5.2)",
                    ExitCode.BLOCKED));
            return null;
        }
        Instant coolDown = stops.coolDownUntil(now);
        if (coolDown != null) {
            add(Check.warning(
                    "rate",
                    "amoCRM answered 429 recently: no request is sent before " + coolDown,
                    "runs started now wait for it (docs/api-client.md)"));
        }
        Check token = amo.usesOAuth()
                ? TokenHealth.oauth(new TokenStore(amo.tokenStore()).read(), now)
                : TokenHealth.longLived(Jwt.expiry(AuthProvider.of(amo, clock).accessToken(null)), now);
        add(token);
        if (token.level() == Check.Level.ERROR) {
            return null;
        }
        AmoClient client = new AmoClient(ClientSettings.from(amo).withRetry(QUICK), AuthProvider.of(amo, clock));
        AccountFacts facts;
        long started = System.nanoTime();
        try {
            facts = AccountFacts.read(client);
        } catch (EtlException e) {
            add(Check.error(
                    "account",
                    "not reachable: " + e.getMessage(),
                    e.exitCode() == ExitCode.AUTH
                            ? "connect again (`auth url`, `auth exchange`) or set a valid long-lived token"
                            : "check amocrm.base-url and the network",
                    e.exitCode()));
            return client;
        }
        Instant local = clock.instant();
        add(Check.ok(
                "account",
                "reachable: account " + facts.id() + " \"" + facts.name() + "\" (" + facts.subdomain() + "), "
                        + (System.nanoTime() - started) / 1_000_000 + " ms"));
        add(
                facts.admin()
                        ? Check.ok("user", facts.userLabel() + " is an administrator")
                        : Check.error("user", facts.notAdminReason(), "connect as an administrator", ExitCode.AUTH));
        add(apiFilters(facts.apiFilters()));
        add(customers(config, facts.customersMode()));
        add(ClockOffset.judge(client.lastServerDate(), local));
        attempt("fields", () -> FieldCheck.check(client, amo, ConnectionRecord.read(amo.stateDir())));
        attempt(
                "webhooks",
                () -> List.of(WebhookState.check(client, config.webhooks().destination())));
        if (probe) {
            attempt("probes", () -> {
                Probes probes = new Probes(client, this::add);
                Instant serverNow = client.lastServerDate() != null ? client.lastServerDate() : clock.instant();
                AccountProbes found = probes.run(facts.apiFilters(), serverNow);
                String where = sink == null ? "not recorded" : "recorded in " + sink.record(config, facts.id(), found);
                return List.of(Check.ok("probes", where + "; " + found.requests() + " requests"));
            });
        }
        return client;
    }

    static Check apiFilters(Boolean enabled) {
        if (enabled == null) {
            return Check.ok(
                    "api-filters",
                    "the account does not report is_api_filter_enabled; every page is checked "
                            + "against the filters sent");
        }
        if (enabled) {
            return Check.ok("api-filters", "is_api_filter_enabled = true: incremental reads filter by updated_at");
        }
        return Check.warning(
                "api-filters",
                "is_api_filter_enabled = false: incremental reads of leads, contacts and "
                        + "companies use If-Modified-Since instead of filters (docs/amocrm-api.md §3.5, §4.2)",
                "none needed; " + "`doctor --probe` tests what the account really does");
    }

    static Check customers(EtlConfig config, String mode) {
        boolean on = config.table(Tables.CUSTOMERS).enabled()
                || config.table(Tables.CUSTOMER_TRANSACTIONS).enabled();
        boolean available = mode == null || !(mode.equals("unavailable") || mode.equals("disabled"));
        if (on && !available) {
            return Check.error(
                    Tables.CUSTOMERS,
                    "customers_mode = " + mode + ", but the customers tables are enabled: their "
                            + "requests would answer 402 (docs/amocrm-api.md §2.4)",
                    "set tables.customers.enabled = false and " + "tables.customer_transactions.enabled = false",
                    ExitCode.BAD_CONFIG);
        }
        return Check.ok(
                Tables.CUSTOMERS, "customers_mode = " + mode + "; the customers tables are " + (on ? "on" : "off"));
    }

    private void attempt(String name, Supplier<List<Check>> checks) {
        try {
            checks.get().forEach(this::add);
        } catch (EtlException e) {
            add(Check.error(name, "failed: " + e.getMessage(), "see the message; run `doctor` again", e.exitCode()));
        }
    }

    private void add(Check c) {
        out.println(c.line());
        if (c.level() == Check.Level.ERROR) {
            errors++;
            if (first == null) {
                first = c.code() == ExitCode.OK ? ExitCode.UNEXPECTED : c.code();
            }
        } else if (c.level() == Check.Level.WARNING) {
            warnings++;
        }
    }
}
