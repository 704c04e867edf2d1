package io.amocrmetl.api;

import io.amocrmetl.core.ExitCode;

/**
 * A page held an item that breaks a filter the request sent: the server ignored it (the account's
 * API filters are off, docs/amocrm-api.md §4.2, or it does not know that filter's form, §4.3). Readers
 * catch it to fall back (If-Modified-Since, another filter form); anyone else gets a clear stop
 * on the first page instead of a walk over the whole account.
 */
public final class FilterIgnoredException extends AmoApiException {
    private final String field;

    FilterIgnoredException(String message, String field) {
        super(ExitCode.UNEXPECTED, message, 200);
        this.field = field;
    }

    /** The filtered field the server ignored (e.g. {@code updated_at}). */
    public String field() {
        return field;
    }
}
