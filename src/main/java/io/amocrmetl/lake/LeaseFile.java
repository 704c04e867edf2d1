package io.amocrmetl.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * An account's lease file under {@code <lake>/_leases}, created only if absent: on a local disk with
 * {@code O_CREAT|O_EXCL} ({@link LocalLeaseFile}), elsewhere with Hadoop's
 * {@code create(overwrite=false)} ({@link HadoopLeaseFile}), atomic on HDFS; on an object store
 * without conditional writes two jobs started in the same instant may both create it
 * (docs/lakehouse.md, "One writer per account").
 */
interface LeaseFile {
    static LeaseFile of(Lake lake, long accountId) {
        return in(lake, "account_id=" + accountId + ".json");
    }

    /** A file of that name under {@code <lake>/_leases}. */
    static LeaseFile in(Lake lake, String name) {
        String dir = lake.root() + "/_leases";
        URI uri = URI.create(dir.replace(" ", "%20"));
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            return new LocalLeaseFile(
                    Path.of(uri.getScheme() == null ? dir : uri.getPath()).resolve(name));
        }
        try {
            return new HadoopLeaseFile(lake.spark().sparkContext().hadoopConfiguration(), dir, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + dir, e);
        }
    }

    /** The file's name, for messages. */
    String name();

    /** Creates the file with {@code content} if it does not exist; false if it does. */
    boolean create(String content);

    /** The content of the lease, or of a file moved aside; empty if it is gone. */
    Optional<String> read(String fileName);

    /** When the holder last renewed it; empty if it is gone. */
    Optional<Instant> modified();

    /** Renews: sets the modification time to now. */
    void touch();

    /** Renames the lease aside, atomically: of two movers one succeeds; false if it was gone. */
    boolean moveAside(String asideName);

    /** Puts back a lease moved aside by mistake (renewed meanwhile), unless one exists again. */
    void moveBack(String asideName);

    /** Deletes the lease, or a file moved aside. */
    void delete(String fileName);
}
