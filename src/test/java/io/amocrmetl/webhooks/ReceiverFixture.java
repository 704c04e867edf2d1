package io.amocrmetl.webhooks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A real receiver on a loopback port over a local log landing in a temp folder, with its log captured. */
final class ReceiverFixture implements AutoCloseable {
    static final String SECRET_PATH = "/amocrm/hooks/5f1c9a2e7b3d4c6a8e0f2b4d6a8c0e1f";
    final Path landing;
    final Receiver receiver;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream logStream = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    ReceiverFixture(Path landing) throws IOException {
        this(landing, Receiver.Options.defaults(SECRET_PATH, "127.0.0.1", 0, Forms.ACCOUNT));
    }

    ReceiverFixture(Path landing, Receiver.Options options) throws IOException {
        this.landing = landing;
        this.receiver = Receiver.start(options, new LogLanding(landing, 1 << 20, 3_600_000), logStream);
    }

    int port() {
        return receiver.port();
    }

    String log() {
        synchronized (logStream) {
            return logBytes.toString(StandardCharsets.UTF_8);
        }
    }

    RawHttp.Answer post(byte[] body) throws IOException {
        return RawHttp.send(port(), RawHttp.request("POST", SECRET_PATH, "application/x-www-form-urlencoded", body));
    }

    /** Every file under the landing folder and a digest of its bytes. */
    Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(landing)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(
                        landing.relativize(p).toString(),
                        Base64.getEncoder()
                                .encodeToString(
                                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Override
    public void close() {
        receiver.close();
    }
}
