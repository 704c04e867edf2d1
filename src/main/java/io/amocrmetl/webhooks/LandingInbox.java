package io.amocrmetl.webhooks;

import io.amocrmetl.config.WebhookSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one account's ingest sees of the landing (docs/webhooks.md: apply): every delivery in its
 * folder's {@code ready/}, plus what is complete so far in {@code open/} (the running receiver's
 * current file), in landing order. Torn tails are dropped. After the commits that applied them,
 * {@link #archive()} moves the ready files to {@code archive/}; open files are read again next
 * time, which applying twice makes harmless (deletions are applied once).
 *
 * <p>Files at the landing root, from versions that landed every account there, are read too, for
 * this account's deliveries only; such a file is archived (into the root's {@code archive/}) only
 * when it holds no other account's delivery, else it stays for that account's ingest.
 */
public final class LandingInbox {
    /** One landed delivery. */
    public record Landed(String id, long receivedAtMillis, long accountId, List<WebhookSignal> signals) {}

    /** One landing file read: where it is, whether it is complete (in ready/), and its records. */
    private record Scanned(LandingFiles files, String name, boolean ready, boolean own, Frames.Scan scan) {}

    private final List<Landed> deliveries;
    /** The ready files {@link #archive()} moves: all of this account's folder, and root files only it owns. */
    private final List<Scanned> archivable;

    private final int readyFiles;
    private final int openFiles;
    private final int foreign;
    private final int keptForOthers;
    private final long tornBytes;
    private final int corrupt;

    private LandingInbox(
            List<Landed> deliveries,
            List<Scanned> archivable,
            int readyFiles,
            int openFiles,
            int foreign,
            int keptForOthers,
            long tornBytes,
            int corrupt) {
        this.deliveries = deliveries;
        this.archivable = archivable;
        this.readyFiles = readyFiles;
        this.openFiles = openFiles;
        this.foreign = foreign;
        this.keptForOthers = keptForOthers;
        this.tornBytes = tornBytes;
        this.corrupt = corrupt;
    }

    /**
     * Reads the landing of {@code settings} for one account.
     *
     * @param hadoopConf a Hadoop Configuration for an object-store landing (the Spark session's), or null
     */
    public static LandingInbox read(WebhookSettings settings, Object hadoopConf, long accountId) {
        return read(LandingFiles.of(settings, hadoopConf), accountId);
    }

    static LandingInbox read(LandingFiles root, long accountId) {
        try {
            List<Scanned> scans = new ArrayList<>(scan(root.under(LandingFiles.accountFolder(accountId)), true));
            scans.addAll(scan(root, false));
            // Names begin with the landing time: one order across the account's folder and the root.
            scans.sort(Comparator.comparing(Scanned::name));
            List<Landed> out = new ArrayList<>();
            List<Scanned> archivable = new ArrayList<>();
            int ready = 0;
            int foreign = 0;
            int kept = 0;
            long torn = 0;
            int corrupt = 0;
            for (Scanned f : scans) {
                Frames.Scan s = f.scan();
                // A ready file's tail is torn only after a crash; an open one's is a write in progress.
                torn += f.ready() ? s.tornBytes() : 0;
                corrupt += s.corrupt();
                int others = 0;
                for (byte[] p : s.records()) {
                    try {
                        LandingRecord r = LandingRecord.fromJson(p);
                        if (r.accountId() == accountId) {
                            out.add(new Landed(r.id(), r.receivedAtMillis(), r.accountId(), r.signals()));
                        } else {
                            others++;
                        }
                    } catch (IOException ex) {
                        corrupt++;
                    }
                }
                foreign += others;
                if (f.ready()) {
                    ready++;
                    if (f.own() || others == 0) {
                        archivable.add(f);
                    } else {
                        kept++;
                    }
                }
            }
            return new LandingInbox(
                    List.copyOf(out), archivable, ready, scans.size() - ready, foreign, kept, torn, corrupt);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the webhook landing " + root.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * One folder's landing files. open/ before ready/: a file rotated between the two listings is
     * then seen in ready/, whole, and that reading replaces the partial one.
     */
    private static Collection<Scanned> scan(LandingFiles files, boolean own) throws IOException {
        Map<String, Scanned> scans = new TreeMap<>();
        for (String dir : List.of(LandingFiles.OPEN, LandingFiles.READY)) {
            for (String name : files.list(dir)) {
                byte[] data = files.read(dir, name);
                if (data != null && isLanding(name)) {
                    scans.put(name, new Scanned(files, name, dir.equals(LandingFiles.READY), own, Frames.scan(data)));
                }
            }
        }
        return scans.values();
    }

    private static boolean isLanding(String name) {
        return name.endsWith(LogLanding.SUFFIX) || name.endsWith(ObjectLanding.SUFFIX);
    }

    /** None of this account's deliveries landed and no file to archive. */
    public boolean isEmpty() {
        return deliveries.isEmpty() && archivable.isEmpty();
    }

    /** This account's deliveries, in landing order. */
    public List<Landed> deliveries() {
        return deliveries;
    }

    /** For the journal: files, deliveries, and anything dropped or left for another account. */
    public String summary() {
        return deliveries.size() + " deliveries from " + readyFiles + " ready and " + openFiles + " open file(s)"
                + (foreign > 0
                        ? ", " + foreign + " of other accounts left for their own ingest (" + keptForOthers
                                + " root file(s) kept)"
                        : "")
                + (tornBytes > 0 ? ", a torn tail of " + tornBytes + " bytes dropped" : "")
                + (corrupt > 0 ? ", " + corrupt + " corrupt record(s) skipped" : "");
    }

    /** Moves the ready files this account may archive to archive/; call only after the commits that applied them. */
    public int archive() {
        int n = 0;
        for (Scanned f : archivable) {
            try {
                f.files().move(LandingFiles.READY, f.name(), LandingFiles.ARCHIVE);
                n++;
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot archive the landing file " + f.name() + ": " + e.getMessage(), e);
            }
        }
        return n;
    }
}
