package io.amocrmetl.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests against the real receiver on loopback: a wrong path, method, type or size, a form
 * that does not parse, or a delivery not from the account. Each is refused with its 4xx (or, for a sender too slow to finish, the connection closed without a 2xx),
 * the landing folder is unchanged byte for byte, and the log holds one line for it without the
 * secret path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileRequestsTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String P = ReceiverFixture.SECRET_PATH;

    ReceiverFixture fx;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = new ReceiverFixture(dir.resolve("landing"));
        // One accepted delivery first, so the folder holds a file whose bytes must not change.
        assertEquals(
                200,
                fx.post(Forms.delivery().leadDelete(0, 1).account().bytes()).status());
    }

    @AfterAll
    void stop() {
        fx.close();
        assertFalse(fx.log().contains(P.substring(1)), "the secret path never reaches the log");
        assertFalse(fx.log().contains("5f1c9a2e"), "no part of the secret reaches the log");
    }

    /** A hostile request: its raw bytes, whether the sender stops writing early, and the answer it must get. */
    record Case(String name, byte[] raw, boolean halfClose, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static byte[] post(String path, String type, byte[] body) {
        return RawHttp.request("POST", path, type, body);
    }

    static byte[] form(Forms f) {
        return post(P, FORM, f.bytes());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] valid() {
        return Forms.delivery().leadDelete(0, 77).account().bytes();
    }

    static Stream<Case> cases() {
        String other = "/amocrm/hooks/0000000000000000000000000000000a";
        byte[] tenMb = new byte[10 << 20];
        java.util.Arrays.fill(tenMb, (byte) 'a');
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 25_000; i++) {
            many.append(i == 0 ? "" : "&").append('f').append(i).append("=1");
        }
        // Cut inside the last field's name, as a sender that dies mid-write would leave it.
        String validText = accountText() + "&leads%5Bdelete%5D%5B0%5D%5Bid%5D=77";
        byte[] cut = ascii(validText.substring(0, validText.length() - 9));
        byte[] shortBody = RawHttp.request("POST", P, FORM, valid());
        shortBody = java.util.Arrays.copyOf(shortBody, shortBody.length - 40);
        return Stream.of(
                new Case("a wrong path secret", post(other, FORM, valid()), false, 404),
                new Case(
                        "the secret path minus its last character",
                        post(P.substring(0, P.length() - 1), FORM, valid()),
                        false,
                        404),
                new Case("the secret path with a suffix", post(P + "/x", FORM, valid()), false, 404),
                new Case(
                        "the secret path reached through ..",
                        post("/amocrm/x/.." + P.substring(7), FORM, valid()),
                        false,
                        404),
                new Case("the root path", post("/", FORM, valid()), false, 404),
                new Case("a GET", RawHttp.request("GET", P, null, null), false, 405),
                new Case("a PUT", RawHttp.request("PUT", P, FORM, valid()), false, 405),
                new Case("a DELETE", RawHttp.request("DELETE", P, FORM, valid()), false, 405),
                new Case(
                        "JSON, not form-encoded",
                        post(P, "application/json", ascii("{\"leads\":{\"delete\":[{\"id\":1}]}}")),
                        false,
                        415),
                new Case("no Content-Type", post(P, null, valid()), false, 415),
                new Case("multipart/form-data", post(P, "multipart/form-data; boundary=x", valid()), false, 415),
                new Case("a charset other than UTF-8", post(P, FORM + "; charset=windows-1251", valid()), false, 415),
                new Case(
                        "a foreign account id",
                        form(Forms.delivery().leadDelete(0, 1).account(31_000_002L, "testacc")),
                        false,
                        403),
                new Case("no account block", form(Forms.delivery().leadDelete(0, 1)), false, 403),
                new Case("an empty body", post(P, FORM, new byte[0]), false, 403),
                new Case("a 10 MB body", post(P, FORM, tenMb), false, 413),
                new Case("a 2 MB chunked body", chunked(2 << 20), false, 413),
                new Case("25,000 fields", post(P, FORM, ascii(many.toString())), false, 400),
                new Case(
                        "malformed brackets",
                        post(P, FORM, ascii("leads%5Bdelete%5B0%5D%5Bid%5D=1&" + accountText())),
                        false,
                        400),
                new Case(
                        "broken percent-encoding",
                        post(P, FORM, ascii("leads%5Bdelete%5D%5B0%5D%5Bid%5D=%G1&" + accountText())),
                        false,
                        400),
                new Case(
                        "a percent-escape cut short",
                        post(P, FORM, ascii(accountText() + "&leads%5Bdelete%5D%5B0%5D%5Bid%5D=1%4")),
                        false,
                        400),
                new Case(
                        "non-UTF-8 escapes",
                        post(P, FORM, ascii("leads%5Bdelete%5D%5B0%5D%5Bname%5D=%C3%28&" + accountText())),
                        false,
                        400),
                new Case(
                        "raw non-ASCII bytes",
                        post(
                                P,
                                FORM,
                                concat(
                                        ascii("leads%5Bdelete%5D%5B0%5D%5Bname%5D="),
                                        "Сделка".getBytes(StandardCharsets.UTF_8),
                                        ascii("&" + accountText()))),
                        false,
                        400),
                new Case("a truncated form", post(P, FORM, cut), false, 400),
                new Case("a body shorter than its Content-Length", shortBody, true, 400),
                new Case(
                        "a 10 KB field name",
                        post(P, FORM, ascii("k".repeat(10_000) + "=1&" + accountText())),
                        false,
                        400),
                new Case(
                        "nesting too deep",
                        post(P, FORM, ascii("leads[a][b][c][d][e][f]=1&" + accountText())),
                        false,
                        400),
                new Case(
                        "repeated fields",
                        post(
                                P,
                                FORM,
                                ascii("leads%5Bdelete%5D%5B0%5D%5Bid%5D=1&leads%5Bdelete%5D%5B0%5D%5Bid%5D=2&"
                                        + accountText())),
                        false,
                        400));
    }

    static String accountText() {
        return Forms.delivery().account().text();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] chunked(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("POST " + P + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: " + FORM
                + "\r\nTransfer-Encoding: chunked\r\n\r\n"));
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        for (int sent = 0; sent < size; sent += chunk.length) {
            out.writeBytes(ascii(Integer.toHexString(chunk.length) + "\r\n"));
            out.writeBytes(chunk);
            out.writeBytes(ascii("\r\n"));
        }
        out.writeBytes(ascii("0\r\n\r\n"));
        return out.toByteArray();
    }

    @Test
    void thereAreAtLeastTwentyKinds() {
        assertTrue(cases().count() >= 20, "kinds: " + cases().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedAndLandsNothing(Case c) throws Exception {
        Map<String, String> before = fx.snapshot();
        int lines = fx.log().split("\n").length;
        RawHttp.Answer a = RawHttp.send(fx.port(), c.raw(), c.halfClose(), 10_000);
        assertEquals(c.status(), a.status(), c.name() + ": " + a.text());
        assertEquals(before, fx.snapshot(), c.name() + ": the landing folder changed");
        waitForLogLine(lines);
        String last = fx.log().lines().reduce((x, y) -> y).orElse("");
        assertTrue(last.contains(" webhook " + c.status() + " "), c.name() + ": " + last);
    }

    /**
     * The account's own deliveries holding what this version does not read (a renamed subdomain, an
     * entity or action not subscribed, an item it cannot parse) are genuine: answered 200 and landed
     * raw, never a 4xx that would count towards amoCRM turning the webhook off; /health counts the
     * unread parts as drift.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("odd")
    void oddButGenuineIsAcceptedAndLanded(String name, Forms delivery) throws Exception {
        Map<String, String> before = fx.snapshot();
        long drift = health("drift");
        RawHttp.Answer a = RawHttp.send(fx.port(), form(delivery), false, 10_000);
        assertEquals(200, a.status(), name + ": " + a.text());
        assertTrue(!before.equals(fx.snapshot()), name + ": landed");
        assertTrue(health("drift") > drift, name + ": counted as drift");
    }

    static Stream<Arguments> odd() {
        return Stream.of(
                Arguments.of(
                        "a renamed subdomain of the account",
                        Forms.delivery().leadDelete(0, 1).account(31_000_001L, "renamed")),
                Arguments.of(
                        "an unknown entity",
                        Forms.delivery().field("catalogs[delete][0][id]", "5").account()),
                Arguments.of(
                        "an action not subscribed",
                        Forms.delivery().field("leads[update][0][id]", "5").account()),
                Arguments.of(
                        "a non-numeric id",
                        Forms.delivery()
                                .field("leads[delete][0][id]", "5 OR 1=1")
                                .account()),
                Arguments.of(
                        "an id too large",
                        Forms.delivery()
                                .field("task[delete][0][id]", "99999999999999999999")
                                .account()),
                Arguments.of(
                        "a contact of no type",
                        Forms.delivery()
                                .field("contacts[delete][0][id]", "5")
                                .field("contacts[delete][0][type]", "robot")
                                .account()),
                Arguments.of(
                        "an unsorted outcome that does not exist",
                        Forms.delivery()
                                .field("unsorted[delete][0][uid]", "abc")
                                .field("unsorted[delete][0][action]", "maybe")
                                .account()));
    }

    private long health(String counter) throws Exception {
        RawHttp.Answer a = RawHttp.send(fx.port(), RawHttp.request("GET", "/health", null, null), false, 10_000);
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"" + counter + "\":(\\d+)").matcher(a.text());
        assertTrue(m.find(), a.text());
        return Long.parseLong(m.group(1));
    }

    /** The log line is written after the response: wait for it (bounded) rather than sleep. */
    private void waitForLogLine(int before) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (fx.log().split("\n").length <= before && System.currentTimeMillis() < deadline) {
            synchronized (this) {
                wait(10);
            }
        }
    }

    /** A sender that sends half a body and then nothing: the connection is closed inside amoCRM's 2 s window (plus the timer's tick). */
    @Test
    void aSenderThatStallsMidBodyIsCutOff() throws Exception {
        Map<String, String> before = fx.snapshot();
        byte[] raw = RawHttp.request("POST", P, FORM, valid());
        RawHttp.Answer a = RawHttp.send(fx.port(), java.util.Arrays.copyOf(raw, raw.length - 30), false, 10_000);
        assertTrue(a.status() == -1 || (a.status() >= 400 && a.status() < 500), a.toString());
        assertTrue(a.millis() < 5_000, "cut off after " + a.millis() + " ms");
        assertEquals(before, fx.snapshot());
    }

    @Test
    void aSenderThatStallsInItsHeadersIsCutOff() throws Exception {
        Map<String, String> before = fx.snapshot();
        RawHttp.Answer a = RawHttp.send(
                fx.port(), ascii("POST " + P + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"), false, 10_000);
        assertTrue(a.status() == -1 || (a.status() >= 400 && a.status() < 500), a.toString());
        assertTrue(a.millis() < 5_000, "cut off after " + a.millis() + " ms");
        assertEquals(before, fx.snapshot());
    }

    /** After all of that, a real delivery is still accepted. */
    @Test
    void aValidDeliveryStillLands() throws Exception {
        assertEquals(
                200,
                fx.post(Forms.delivery()
                                .field("task[delete][0][id]", "31337")
                                .account()
                                .bytes())
                        .status());
        assertTrue(LandingInbox.read(new LocalFiles(fx.landing), Forms.ACCOUNT.id()).deliveries().stream()
                .anyMatch(d -> d.signals().equals(List.of(new WebhookSignal("tasks", "31337", "delete", null)))));
    }
}
