package io.amocrmetl.api;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Receives a list page by page, item by item, straight from the streaming parser (no page-sized
 * string or tree). A page that fails midway (a body cut short, a reset) is aborted and read
 * again, so a consumer keeps a page's items until {@link #endPage}.
 */
public interface PageConsumer {
    /** A page starts (again, after an aborted attempt). */
    default void beginPage(int page) {}

    /**
     * One item of {@code _embedded.<name>}; the parser is at its START_OBJECT and the consumer
     * reads it through its END_OBJECT (anything it leaves is skipped).
     */
    void item(JsonParser item) throws IOException;

    /** The page was read whole and passed its checks: its items count. */
    default void endPage(int page, int items) {}

    /** The page failed midway: drop what {@link #item} received since {@link #beginPage}. */
    default void abortPage(int page) {}
}
