package io.amocrmetl.webhooks;

import io.amocrmetl.config.WebhookSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The landing folder's files, on a local disk or an object store (docs/lakehouse.md: the
 * landing folder sits beside the system tables). Three folders: {@value #OPEN} (the local log's
 * file being appended), {@value #READY} (complete files and objects) and {@value #ARCHIVE}
 * (applied by an ingest); plus {@link AccountIdentity#FILE} at the root.
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

    String describe();

    /** The landing of these settings; {@code hadoop} is a Hadoop Configuration for object stores (null: a default one). */
    static LandingFiles of(WebhookSettings s, Object hadoop) {
        if (s.objectLanding()) {
            return new HadoopFiles(s.landingPath(), hadoop);
        }
        return new LocalFiles(localPath(s.landingPath()));
    }

    static Path localPath(String landing) {
        return landing.startsWith("file:") ? Path.of(URI.create(landing)) : Path.of(landing);
    }
}
