package io.amocrmetl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.catalog.EndpointFacts;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * What a non-2xx answer means (docs/amocrm-api.md §5): most end the call at once with a message
 * that says what to do; 429 and 5xx are failures worth retrying. A 403 with an HTML page is the
 * block, recorded so that no process sends before it ends. The one refresh on 401 is the
 * executor's: this class sees a 401 only when that is spent.
 */
final class ErrorAnswers {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BlockState block;
    private final ClientMetrics metrics;

    /** An attempt that failed but may be retried; retryAfter is the server's wait (429 only). */
    record Retryable(String failure, Duration retryAfter) {}

    /** The answer's headers this class reads; absent ones are null. */
    record Headers(String contentType, String retryAfter, String date) {}

    ErrorAnswers(BlockState block, ClientMetrics metrics) {
        this.block = block;
        this.metrics = metrics;
    }

    /** Throws unless the answer is worth retrying. */
    Retryable judge(String what, String pathAndQuery, int status, Headers headers, String text) {
        String contentType = headers.contentType();
        boolean problem = contentType.contains("json");
        JsonNode json = problem ? parse(text) : null;
        String detail = json == null
                ? ""
                : ": "
                        + Redaction.text(
                                json.path("detail").asText(json.path("title").asText("")));
        switch (status) {
            case 401 ->
                throw new AmoApiException(
                        ExitCode.AUTH,
                        what + " answered 401 Unauthorized" + detail
                                + ". The token expired or was revoked: connect again (`auth url`, `auth exchange`) "
                                + "or issue a new long-lived token.",
                        401);
            case 402 ->
                throw new AmoApiException(
                        EndpointFacts.needsCustomers(pathAndQuery) ? ExitCode.BAD_CONFIG : ExitCode.UNEXPECTED,
                        what + " answered 402 Payment Required" + detail
                                + (EndpointFacts.needsCustomers(pathAndQuery)
                                        ? ". The plan has no customers: set tables." + Tables.CUSTOMERS
                                                + ".enabled = false."
                                        : ". The account's paid period is over."),
                        402);
            case 403 -> {
                if (!problem) {
                    Instant blockedUntil = Instant.now().plus(CallExecutor.DEFAULT_BLOCK);
                    block.block(blockedUntil);
                    throw new BlockedException(
                            what + " answered 403 with an HTML page: amoCRM blocked this "
                                    + "caller for too many requests (docs/amocrm-api.md §5.2). No request is sent before "
                                    + blockedUntil + " (recorded in " + block.file() + ").",
                            blockedUntil);
                }
                throw new AmoApiException(
                        ExitCode.AUTH,
                        what + " answered 403 Forbidden" + detail
                                + ". The connected user lacks a permission (an admin must connect).",
                        403);
            }
            case 429 -> {
                metrics.tooManyRequests.incrementAndGet();
                RetryAfter after = RetryAfter.of(json, headers.retryAfter(), headers.date());
                return new Retryable("429 Too Many Requests (" + after.said() + ")", after.delay());
            }
            default -> {
                if (status < 500) {
                    throw new AmoApiException(ExitCode.UNEXPECTED, what + " answered " + status + detail, status);
                }
                return new Retryable("answered " + status + detail, null);
            }
        }
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
