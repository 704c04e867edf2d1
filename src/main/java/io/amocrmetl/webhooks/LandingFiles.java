package io.amocrmetl.webhooks;

import io.amocrmetl.config.WebhookSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The landing folder's files, on a local disk or an object store (docs/lakehouse.md: the
 * landing folder sits beside the system tables). Each account lands in a folder of its own,
 * {@code account_id=<id>/} ({@link #accountFolder}), so the accounts of one lake never read or move
 * each other's files (docs/webhooks.md: landing). In it three folders: {@value #OPEN} (the local
 * log's file being appended), {@value #READY} (complete files and objects) and {@value #ARCHIVE}
 * (applied by an ingest). At the root: {@link AccountIdentity#FOLDER}, and what versions before
 * per-account folders left in {@code ready/} and {@code open/}.
 */
interface LandingFiles {
    String OPEN = "open";
    String READY = "ready";
    String ARCHIVE = "archive";

    /** The names in a folder ("" is the root), sorted; empty when it does not exist. Temporary files are left out. */
    List<String> list(String dir) throws IOException;

    /** A file's bytes; null when it is not there (moved meanwhile). */
    byte[] read(String dir, String name) throws IOException;

    /** Writes a whole file: readers see all of it or (on an object store, or after a crash locally) a torn frame they drop. */
    void put(String dir, String name, byte[] data) throws IOException;

    void move(String from, String name, String to) throws IOException;

    /** The same landing seen from one of its folders. */
    LandingFiles under(String folder);

    String describe();

    /** The landing of these settings; {@code hadoop} is a Hadoop Configuration for object stores (null: a default one). */
    static LandingFiles of(WebhookSettings s, Object hadoop) {
        if (s.objectLanding()) {
            return new HadoopFiles(s.landingPath(), hadoop);
        }
        return new LocalFiles(localPath(s.landingPath()));
    }

    /** The folder of one account's deliveries under the landing root. */
    static String accountFolder(long accountId) {
        return "account_id=" + accountId;
    }

    static Path localPath(String landing) {
        return landing.startsWith("file:") ? Path.of(URI.create(landing)) : Path.of(landing);
    }
}
