package io.amocrmetl.api;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's clock as its {@code Date} headers tell it: the first and the latest seen. Window
 * ends come from it (docs/lakehouse.md), so a skewed local clock does not move them.
 */
final class ServerDates {
    /** Logs as part of the executor's requests. */
    private static final Logger LOG = LoggerFactory.getLogger(CallExecutor.class);

    private volatile Instant first;
    private volatile Instant last;

    Instant first() {
        return first;
    }

    Instant last() {
        return last;
    }

    /** Notes the response's Date header, if it has a readable one. */
    void observe(Response resp, String what) {
        if (resp.header("Date") != null) {
            try {
                last = ZonedDateTime.parse(resp.header("Date"), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                if (first == null) {
                    first = last;
                }
            } catch (DateTimeParseException e) {
                LOG.debug("{}: unparseable Date header {}", what, resp.header("Date"));
            }
        }
    }
}
