package io.amocrmetl.webhooks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The landing on an object store, where nothing can be appended: each batch the writer takes
 * (one delivery, or the few that queued meanwhile) becomes one object in {@code ready/}, written
 * whole before its senders get a 2xx. Names never repeat, so several receivers may share a folder.
 */
final class ObjectLanding extends GroupCommitLanding {
    static final String SUFFIX = ".wobj";
    private final LandingFiles files;
    private long seq;

    ObjectLanding(LandingFiles files) {
        this.files = files;
        start();
    }

    @Override
    void write(List<byte[]> payloads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            out.write(Frames.frame(p));
        }
        files.put(LandingFiles.READY, name(seq++, SUFFIX), out.toByteArray());
    }

    @Override
    void idle() {
        // objects are complete when written: nothing to rotate
    }

    @Override
    void finish() {
        // nothing held open
    }

    @Override
    public String describe() {
        return files.describe();
    }
}
