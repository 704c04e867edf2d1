package io.amocrmetl.webhooks;

import io.amocrmetl.config.WebhookSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What ingest sees of the landing folder (docs/webhooks.md: apply): every delivery in
 * {@code ready/}, plus what is complete so far in {@code open/} (the running receiver's current
 * file), in landing order. Torn tails are dropped. After the commits that applied them,
 * {@link #archive()} moves the ready files to {@code archive/}; open files are read again next
 * time, which applying twice makes harmless (deletions are applied once).
 */
public final class LandingInbox {
    /** One landed delivery. */
    public record Landed(String id, long receivedAtMillis, long accountId, List<WebhookSignal> signals) {}

    private final LandingFiles files;
    private final List<Landed> deliveries;
    private final Set<String> readyFiles;
    private final int openFiles;
    private final long tornBytes;
    private final int corrupt;

    private LandingInbox(
            LandingFiles files,
            List<Landed> deliveries,
            Set<String> readyFiles,
            int openFiles,
            long tornBytes,
            int corrupt) {
        this.files = files;
        this.deliveries = deliveries;
        this.readyFiles = readyFiles;
        this.openFiles = openFiles;
        this.tornBytes = tornBytes;
        this.corrupt = corrupt;
    }

    /**
     * Reads the landing folder of {@code settings}.
     *
     * @param hadoopConf a Hadoop Configuration for an object-store landing (the Spark session's), or null
     */
    public static LandingInbox read(WebhookSettings settings, Object hadoopConf) {
        return read(LandingFiles.of(settings, hadoopConf));
    }

    static LandingInbox read(LandingFiles files) {
        try {
            // open/ before ready/: a file rotated between the two listings is then seen in ready/,
            // whole, and that reading replaces the partial one.
            Map<String, Frames.Scan> scans = new TreeMap<>();
            int open = 0;
            for (String name : files.list(LandingFiles.OPEN)) {
                byte[] data = files.read(LandingFiles.OPEN, name);
                if (data != null && isLanding(name)) {
                    scans.put(name, Frames.scan(data));
                    open++;
                }
            }
            Set<String> ready = new LinkedHashSet<>();
            for (String name : files.list(LandingFiles.READY)) {
                byte[] data = files.read(LandingFiles.READY, name);
                if (data != null && isLanding(name)) {
                    if (scans.put(name, Frames.scan(data)) != null) {
                        open--;
                    }
                    ready.add(name);
                }
            }
            List<Landed> out = new ArrayList<>();
            long torn = 0;
            int corrupt = 0;
            for (Map.Entry<String, Frames.Scan> e : scans.entrySet()) {
                Frames.Scan s = e.getValue();
                // A ready file's tail is torn only after a crash; an open one's is a write in progress.
                torn += ready.contains(e.getKey()) ? s.tornBytes() : 0;
                corrupt += s.corrupt();
                for (byte[] p : s.records()) {
                    try {
                        LandingRecord r = LandingRecord.fromJson(p);
                        out.add(new Landed(r.id(), r.receivedAtMillis(), r.accountId(), r.signals()));
                    } catch (IOException ex) {
                        corrupt++;
                    }
                }
            }
            return new LandingInbox(files, List.copyOf(out), ready, open, torn, corrupt);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the webhook landing " + files.describe() + ": " + e.getMessage(), e);
        }
    }

    private static boolean isLanding(String name) {
        return name.endsWith(LogLanding.SUFFIX) || name.endsWith(ObjectLanding.SUFFIX);
    }

    /** Nothing landed and no file to archive. */
    public boolean isEmpty() {
        return deliveries.isEmpty() && readyFiles.isEmpty();
    }

    public List<Landed> deliveries() {
        return deliveries;
    }

    /** For the journal: files, deliveries, and anything dropped. */
    public String summary() {
        return deliveries.size() + " deliveries from " + readyFiles.size() + " ready and " + openFiles + " open file(s)"
                + (tornBytes > 0 ? ", a torn tail of " + tornBytes + " bytes dropped" : "")
                + (corrupt > 0 ? ", " + corrupt + " corrupt record(s) skipped" : "");
    }

    /** Moves the ready files read to archive/; call only after the commits that applied them. */
    public int archive() {
        int n = 0;
        for (String name : readyFiles) {
            try {
                files.move(LandingFiles.READY, name, LandingFiles.ARCHIVE);
                n++;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot archive the landing file " + name + ": " + e.getMessage(), e);
            }
        }
        return n;
    }
}
