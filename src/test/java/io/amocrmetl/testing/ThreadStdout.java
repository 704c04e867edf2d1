package io.amocrmetl.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Captures what one test prints to {@code System.out} while other IT classes run beside it in the
 * same JVM (docs/testing.md, "CI budget"). {@code System.out} is replaced once, for good, by a
 * stream that writes to the capture of the writing thread (inherited by the threads it starts, as a
 * command's workers) or else to the JVM's own stdout. Swapping {@code System.out} itself would take
 * the other classes' lines too.
 */
public final class ThreadStdout {
    private static final InheritableThreadLocal<OutputStream> CAPTURE = new InheritableThreadLocal<>();
    private static PrintStream original;

    private ThreadStdout() {}

    /** What {@code body} returns, and everything its thread (and threads it started) printed. */
    public static <T> Captured<T> capture(Supplier<T> body) {
        install();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStream before = CAPTURE.get();
        CAPTURE.set(out);
        T value;
        try {
            value = body.get();
        } finally {
            CAPTURE.set(before);
        }
        return new Captured<>(value, out.toString(StandardCharsets.UTF_8));
    }

    public record Captured<T>(T value, String out) {}

    private static synchronized void install() {
        if (original != null) {
            return;
        }
        original = System.out;
        PrintStream jvm = original;
        OutputStream routed = new OutputStream() {
            private OutputStream target() {
                OutputStream c = CAPTURE.get();
                return c != null ? c : jvm;
            }

            @Override
            public void write(int b) throws IOException {
                target().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                target().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                target().flush();
            }
        };
        System.setOut(new PrintStream(routed, true, StandardCharsets.UTF_8));
    }
}
