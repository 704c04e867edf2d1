package io.amocrmetl.webhooks;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The landing's record framing: magic, payload length and CRC32C, then the payload. Appending
 * frames is all the local log does, so a crash can only leave the last frame short; reading stops
 * there (a torn tail: its sender never got a 2xx). A frame whose checksum is wrong mid-file is
 * skipped by searching for the next valid frame, so one bad sector does not cost the rest.
 */
final class Frames {
    static final int MAGIC = 0x57484b31; // "WHK1"
    static final int HEADER = 12;
    static final int MAX_PAYLOAD = 4 << 20;

    /** What a file holds: its valid records, where the last valid one ends, what was skipped. */
    record Scan(List<byte[]> records, long validEnd, long tornBytes, int corrupt) {}

    private Frames() {}

    static int size(byte[] payload) {
        return HEADER + payload.length;
    }

    static void write(ByteBuffer into, byte[] payload) {
        into.putInt(MAGIC)
                .putInt(payload.length)
                .putInt(crc(payload, 0, payload.length))
                .put(payload);
    }

    static byte[] frame(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(size(payload));
        write(b, payload);
        return b.array();
    }

    static Scan scan(byte[] data) {
        List<byte[]> records = new ArrayList<>();
        int pos = 0;
        long validEnd = 0;
        int corrupt = 0;
        while (pos < data.length) {
            int len = validAt(data, pos);
            if (len >= 0) {
                byte[] p = new byte[len];
                System.arraycopy(data, pos + HEADER, p, 0, len);
                records.add(p);
                pos += HEADER + len;
                validEnd = pos;
                continue;
            }
            // Not a frame, or one that runs past the end: a torn tail, unless a valid frame follows.
            int next = nextValid(data, pos + 1);
            if (next < 0) {
                break;
            }
            corrupt++;
            pos = next;
        }
        return new Scan(records, validEnd, data.length - validEnd, corrupt);
    }

    /** The payload length of a valid frame at pos; -1 when the data ends inside it; -2 when it is not a valid frame. */
    private static int validAt(byte[] data, int pos) {
        if (data.length - pos < HEADER) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(data, pos, HEADER);
        if (b.getInt() != MAGIC) {
            return -2;
        }
        int len = b.getInt();
        int crc = b.getInt();
        if (len < 0 || len > MAX_PAYLOAD) {
            return -2;
        }
        if ((long) data.length - pos - HEADER < len) {
            return -1;
        }
        return crc(data, pos + HEADER, len) == crc ? len : -2;
    }

    private static int nextValid(byte[] data, int from) {
        for (int p = from; p + HEADER <= data.length; p++) {
            if (data[p] == 0x57 && validAt(data, p) >= 0) {
                return p;
            }
        }
        return -1;
    }

    private static int crc(byte[] data, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(data, off, len);
        return (int) c.getValue();
    }
}
