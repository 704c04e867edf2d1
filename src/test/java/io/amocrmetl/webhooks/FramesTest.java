package io.amocrmetl.webhooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The landing's framing: a crash at any byte leaves every whole record readable and nothing else. */
class FramesTest {
    static List<byte[]> payloads(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(("{\"record\":" + i + ",\"pad\":\"" + "x".repeat(i * 7 % 50) + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static byte[] file(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        payloads.forEach(p -> out.writeBytes(Frames.frame(p)));
        return out.toByteArray();
    }

    @Test
    void everyCutPointYieldsExactlyTheWholeRecordsBeforeIt() {
        List<byte[]> p = payloads(6);
        byte[] whole = file(p);
        int[] ends = new int[p.size()];
        int pos = 0;
        for (int i = 0; i < p.size(); i++) {
            pos += Frames.size(p.get(i));
            ends[i] = pos;
        }
        for (int cut = 0; cut <= whole.length; cut++) {
            Frames.Scan s = Frames.scan(Arrays.copyOf(whole, cut));
            int complete = 0;
            while (complete < ends.length && ends[complete] <= cut) {
                complete++;
            }
            assertEquals(complete, s.records().size(), "cut at " + cut);
            for (int i = 0; i < complete; i++) {
                assertArrayEquals(p.get(i), s.records().get(i));
            }
            assertEquals(complete == 0 ? 0 : ends[complete - 1], s.validEnd());
            assertEquals(cut - s.validEnd(), s.tornBytes());
            assertEquals(0, s.corrupt());
        }
    }

    /** A tail of zeros (a crash after the size grew but before the data reached disk) is torn too. */
    @Test
    void zeroFilledTailIsTorn() {
        byte[] whole = file(payloads(3));
        byte[] withZeros = Arrays.copyOf(whole, whole.length + 4096);
        Frames.Scan s = Frames.scan(withZeros);
        assertEquals(3, s.records().size());
        assertEquals(4096, s.tornBytes());
    }

    @Test
    void aCorruptRecordInTheMiddleIsSkippedAndTheRestRead() {
        List<byte[]> p = payloads(5);
        byte[] whole = file(p);
        int second = Frames.size(p.get(0));
        whole[second + Frames.HEADER + 3] ^= 0x5a; // a flipped byte in record 2's payload
        Frames.Scan s = Frames.scan(whole);
        assertEquals(1, s.corrupt());
        assertEquals(4, s.records().size());
        assertArrayEquals(p.get(0), s.records().get(0));
        assertArrayEquals(p.get(2), s.records().get(1));
        assertEquals(0, s.tornBytes());
    }
}
