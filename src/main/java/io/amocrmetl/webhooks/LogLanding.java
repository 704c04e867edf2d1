package io.amocrmetl.webhooks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The landing on a local disk: records are framed ({@link Frames}), appended to a file in
 * {@code open/} and fsync'ed before their senders get a 2xx; the file moves to {@code ready/} when
 * it is big or old enough, and when the receiver stops. At start, files a crash left in
 * {@code open/} lose their torn tail (senders that never got a 2xx) and move to {@code ready/}.
 * A lock file keeps a second receiver off the same folder.
 */
final class LogLanding extends GroupCommitLanding {
    static final String SUFFIX = ".wlog";
    static final String LOCK = "receiver.lock";
    private final LocalFiles files;
    private final Path open;
    private final long rotateBytes;
    private final long rotateMillis;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String recovered;
    private FileChannel current;
    private String currentName;
    private long size;
    private long openedAt;
    private long seq;

    LogLanding(Path root, long rotateBytes, long rotateMillis) throws IOException {
        this.files = new LocalFiles(root);
        this.open = root.resolve(LandingFiles.OPEN);
        this.rotateBytes = rotateBytes;
        this.rotateMillis = rotateMillis;
        Files.createDirectories(open);
        Files.createDirectories(root.resolve(LandingFiles.READY));
        lockChannel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("another receiver is using the landing folder " + root + " (it holds " + LOCK + ")");
        }
        lock = l;
        recovered = recover();
        start();
    }

    /** Files a crash left open: torn tail cut, then moved to ready/. */
    private String recover() throws IOException {
        int moved = 0;
        long torn = 0;
        for (String name : files.list(LandingFiles.OPEN)) {
            Path p = open.resolve(name);
            Frames.Scan scan = Frames.scan(Files.readAllBytes(p));
            if (scan.records().isEmpty()) {
                Files.delete(p);
                torn += scan.tornBytes();
                continue;
            }
            if (scan.tornBytes() > 0) {
                try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    c.truncate(scan.validEnd());
                    c.force(true);
                }
                torn += scan.tornBytes();
            }
            files.move(LandingFiles.OPEN, name, LandingFiles.READY);
            moved++;
        }
        LocalFiles.fsyncDir(open);
        return moved == 0 && torn == 0
                ? ""
                : "; recovered " + moved + " file" + (moved == 1 ? "" : "s") + " a stop left open"
                        + (torn > 0 ? ", dropped a torn tail of " + torn + " bytes" : "");
    }

    @Override
    void write(List<byte[]> payloads) throws IOException {
        if (current == null) {
            currentName = name(seq++, SUFFIX);
            current = FileChannel.open(
                    open.resolve(currentName), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            LocalFiles.fsyncDir(open);
            size = 0;
            openedAt = System.currentTimeMillis();
        }
        int total = 0;
        for (byte[] p : payloads) {
            total += Frames.size(p);
        }
        ByteBuffer b = ByteBuffer.allocate(total);
        payloads.forEach(p -> Frames.write(b, p));
        b.flip();
        try {
            while (b.hasRemaining()) {
                current.write(b);
            }
            current.force(false);
        } catch (IOException e) {
            // Take back what part of the batch reached the file; if even that fails, the next
            // batch starts a new file and readers drop this one's torn tail.
            try {
                current.truncate(size);
                current.force(false);
            } catch (IOException again) {
                abandon();
            }
            throw e;
        }
        size += total;
        if (size >= rotateBytes || System.currentTimeMillis() - openedAt >= rotateMillis) {
            rotate();
        }
    }

    @Override
    void idle() throws IOException {
        if (current != null && System.currentTimeMillis() - openedAt >= rotateMillis) {
            rotate();
        }
    }

    @Override
    void finish() throws IOException {
        try {
            if (current != null) {
                rotate();
            }
        } finally {
            lock.release();
            lockChannel.close();
        }
    }

    private void rotate() throws IOException {
        FileChannel c = current;
        current = null;
        c.force(true);
        c.close();
        files.move(LandingFiles.OPEN, currentName, LandingFiles.READY);
    }

    private void abandon() {
        try {
            current.close();
        } catch (IOException e) {
            // nothing more to do: the file stays in open/ and its torn tail is dropped on reading
        }
        current = null;
    }

    @Override
    public String describe() {
        return files.describe() + recovered;
    }
}
