package io.amocrmetl.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts response bytes for the journal as the parser reads them. */
final class CountingStream extends FilterInputStream {
    private final ClientMetrics metrics;

    CountingStream(InputStream in, ClientMetrics metrics) {
        super(in);
        this.metrics = metrics;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            metrics.bytes.incrementAndGet();
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            metrics.bytes.addAndGet(n);
        }
        return n;
    }
}
