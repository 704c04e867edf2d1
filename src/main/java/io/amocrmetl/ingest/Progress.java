package io.amocrmetl.ingest;

import io.amocrmetl.state.Journal;
import java.io.PrintStream;

/**
 * Progress of a table read in several windows (a historical load, a long catch-up): windows done,
 * the share of the range read, rows, the run's requests per second, and an ETA from the pace so far.
 */
final class Progress {
    private final PrintStream out;
    private final String table;
    private final WindowSource windows;
    private final Budget budget;
    private final long started = System.nanoTime();
    private int done;
    private long rows;

    Progress(PrintStream out, String table, WindowSource windows, Budget budget) {
        this.out = out;
        this.table = table;
        this.windows = windows;
        this.budget = budget;
    }

    /** Reports a write of {@code written} windows (several when the writer caught up on them at once). */
    synchronized Journal.Entry window(int written, Journal.Entry e) {
        done += written;
        rows += e.rowsRead;
        if (windows.windows() > 1 || windows.hasNext()) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            double fraction = windows.done();
            // Older windows are sparse (an account grows), so a pace taken over the first windows
            // promises hours for a run of minutes: no ETA before a quarter of the range is read.
            String eta = fraction < 0.25
                    ? "after a quarter of the range"
                    : duration(Math.round(elapsed / fraction * (1 - fraction)));
            synchronized (out) {
                out.printf(
                        "    %s: window %d, %.0f%% of the range, %d rows so far, %.1f requests/s, ETA %s%n",
                        table, done, fraction * 100, rows, budget.requests() / Math.max(0.001, budget.seconds()), eta);
            }
        }
        return e;
    }

    static String duration(long seconds) {
        if (seconds < 90) {
            return seconds + " s";
        }
        if (seconds < 90 * 60) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
