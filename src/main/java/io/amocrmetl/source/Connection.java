package io.amocrmetl.source;

import io.amocrmetl.api.AmoApiException;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.AuthProvider;
import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.api.RateLimiter;
import io.amocrmetl.api.RateScope;
import io.amocrmetl.api.RetryPolicy;
import io.amocrmetl.core.ExitCode;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What an executor needs to reach the account: the URL, the driver's access token, its share of
 * the rate budget, timeouts and retries. Serializable for the trip inside an InputPartition; the
 * token never shows in {@link #toString()} (so not in EXPLAIN or logs).
 *
 * @param share this partition's whole requests per second (docs/architecture.md)
 * @param budget the whole account's budget, used where this JVM already holds the account's
 *               shared limiter (the driver in local mode): one limiter then serves everyone
 * @param notBeforeEpochMillis when an executor's fresh limiter may send its first request: one
 *                             window after the scan was planned, hence after every answer of the
 *                             reads and driver calls before it (docs/api-client.md#on-a-cluster)
 * @param rateDir the host ledger's folder: on each executor's host, its own (docs/api-client.md)
 * @param ratePerHost amocrm.rate-limit.scope = host
 */
record Connection(
        String baseUrl,
        String token,
        int share,
        int budget,
        boolean unlimited,
        long marginMillis,
        String stateDir,
        long connectTimeoutMillis,
        long readTimeoutMillis,
        int maxAttempts,
        long maxTotalWaitMillis,
        long notBeforeEpochMillis,
        String rateDir,
        boolean ratePerHost)
        implements Serializable {

    static Connection of(ClientSettings s, String token, int share) {
        return new Connection(
                s.baseUrl(),
                token,
                share,
                s.requestsPerSecond(),
                s.unlimited(),
                s.rateMarginMillis(),
                s.stateDir().toString(),
                s.connectTimeout().toMillis(),
                s.readTimeout().toMillis(),
                s.retry().maxAttempts(),
                s.retry().maxTotalWait().toMillis(),
                System.currentTimeMillis() + RateLimiter.windowMillis(s.rateMarginMillis()),
                s.rateScope().dir().toString(),
                s.rateScope().host());
    }

    Connection withShare(int s) {
        return new Connection(
                baseUrl,
                token,
                s,
                budget,
                unlimited,
                marginMillis,
                stateDir,
                connectTimeoutMillis,
                readTimeoutMillis,
                maxAttempts,
                maxTotalWaitMillis,
                notBeforeEpochMillis,
                rateDir,
                ratePerHost);
    }

    /**
     * A client for this partition. In a JVM that already holds the account's shared limiter (the
     * driver, in local mode) the partition uses it, so the whole JVM stays within the budget; in an
     * executor JVM it gets a limiter of its own share. Shares of running partitions sum to at most
     * the budget, so the account's rate holds across processes.
     */
    AmoClient client() {
        ClientSettings settings = new ClientSettings(
                baseUrl,
                budget,
                unlimited,
                marginMillis,
                Path.of(stateDir),
                Duration.ofMillis(connectTimeoutMillis),
                Duration.ofMillis(readTimeoutMillis),
                new RetryPolicy(
                        maxAttempts,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(60),
                        Duration.ofMillis(maxTotalWaitMillis)),
                new RateScope(Path.of(rateDir), ratePerHost));
        RateLimiter limiter;
        if (unlimited) {
            limiter = new RateLimiter(0, 0);
        } else {
            RateLimiter jvm = RateLimiter.existing(baseUrl);
            if (jvm != null) {
                limiter = jvm;
            } else {
                // A fresh limiter knows nothing of the requests before this scan, in this JVM or
                // another: it starts once they are a window old (docs/api-client.md#on-a-cluster).
                limiter = new RateLimiter(share, marginMillis);
                long waitMillis = notBeforeEpochMillis - System.currentTimeMillis();
                if (waitMillis > 0) {
                    limiter.pauseUntil(System.nanoTime() + waitMillis * 1_000_000L);
                }
            }
        }
        return new AmoClient(settings, new HandedToken(token), limiter);
    }

    @Override
    public String toString() {
        return "Connection[" + baseUrl + ", token=***, share=" + share + "/" + budget + (unlimited ? ", unlimited" : "")
                + "]";
    }

    /**
     * The driver's access token, handed to a task. Executors never refresh: a refresh spends the
     * single-use refresh token (docs/amocrm-api.md §1.3), which only the driver's token store may do.
     */
    static final class HandedToken implements AuthProvider {
        private final String token;

        HandedToken(String token) {
            this.token = token;
        }

        @Override
        public String accessToken(TokenEndpoint endpoint) {
            return token;
        }

        @Override
        public boolean refreshAfter401(String rejected, TokenEndpoint endpoint) {
            throw new AmoApiException(
                    ExitCode.AUTH,
                    HandedTokenRejected.MESSAGE + ": it expired or was revoked after "
                            + "the read was planned. Run again: each run plans with a fresh token.",
                    401);
        }

        @Override
        public String toString() {
            return "HandedToken[***]";
        }
    }
}
