package io.amocrmetl.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How long a 429 asks the caller to wait. amoCRM documents a JSON {@code retry_after}; HTTP has
 * the {@code Retry-After} header (seconds, or a date read against the answer's own {@code Date});
 * an answer with neither gets amoCRM's documented 300 s, not a quick retry that would feed the
 * block (docs/amocrm-api.md §5.2).
 *
 * @param delay the wait the answer asks for
 * @param said where it came from, for the log line
 */
record RetryAfter(Duration delay, String said) {

    static RetryAfter of(JsonNode json, String header, String date) {
        long body = json == null ? 0 : json.path("retry_after").asLong(0);
        if (body > 0) {
            return new RetryAfter(Duration.ofSeconds(body), "retry_after " + body + " s");
        }
        if (header != null && !header.isBlank()) {
            String h = header.trim();
            if (h.chars().allMatch(Character::isDigit) && h.length() < 10) {
                long s = Long.parseLong(h);
                return new RetryAfter(Duration.ofSeconds(Math.max(1, s)), "Retry-After " + s + " s");
            }
            Instant until = httpDate(h);
            if (until != null) {
                Instant now = date == null ? null : httpDate(date);
                long s = Duration.between(now == null ? Instant.now() : now, until)
                        .toSeconds();
                return new RetryAfter(Duration.ofSeconds(Math.max(1, s)), "Retry-After " + h);
            }
        }
        return new RetryAfter(RetryPolicy.MAX_RETRY_AFTER, "no retry_after: amoCRM's documented 300 s");
    }

    private static Instant httpDate(String s) {
        try {
            return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
