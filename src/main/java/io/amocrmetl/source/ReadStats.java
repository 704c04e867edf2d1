package io.amocrmetl.source;

import io.amocrmetl.catalog.Drift;
import org.apache.spark.sql.catalyst.util.ArrayData;

/** What one partition's reading took, for the reader's metrics and the logs. Not thread-safe. */
final class ReadStats {
    long rows;
    long pages;
    /** Windows read again because a row seen on an earlier page changed meanwhile. */
    long rereads;
    /** Seconds that held more than a page and were read by page number. */
    long narrowReads;
    /** Post-read checks (the cheap "what changed since" pass). */
    long checks;
    /** Switches to a fallback: If-Modified-Since, or the events' comma filter form. */
    long fallbacks;
    /** Drift in the rows handed out (a row read twice at a window edge counts once). */
    long newFields;

    long oddValues;
    long unknownFieldTypes;

    /** Counts a kept row's {@code _drift} entries by kind. */
    void drift(ArrayData drift) {
        for (int i = 0; i < drift.numElements(); i++) {
            switch (drift.getStruct(i, 3).getUTF8String(0).toString()) {
                case Drift.NEW_FIELD -> newFields++;
                case Drift.ODD_VALUE -> oddValues++;
                default -> unknownFieldTypes++;
            }
        }
    }

    @Override
    public String toString() {
        return rows + " rows, " + pages + " pages, " + rereads + " re-reads, " + narrowReads + " dense seconds, "
                + checks + " checks, " + fallbacks + " fallbacks";
    }
}
