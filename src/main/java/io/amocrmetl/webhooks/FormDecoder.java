package io.amocrmetl.webhooks;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict {@code application/x-www-form-urlencoded} decoding (docs/amocrm-api.md §6.2: amoCRM posts PHP's
 * {@code http_build_query} output). Every byte must be visible ASCII, every {@code %} must be
 * followed by two hex digits, and what the escapes spell must be UTF-8; anything else is refused
 * rather than guessed at, so a hostile body cannot smuggle bytes past the parser.
 */
final class FormDecoder {
    /** One {@code key=value} pair, decoded. */
    record Field(String key, String value) {}

    private FormDecoder() {}

    static List<Field> decode(byte[] body, int maxFields, int maxKeyChars) throws Refusal {
        List<Field> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '&') {
                if (i > start) {
                    if (out.size() == maxFields) {
                        throw new Refusal(400, "more than " + maxFields + " form fields");
                    }
                    out.add(pair(body, start, i, out.size() + 1, maxKeyChars));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static Field pair(byte[] body, int from, int to, int n, int maxKeyChars) throws Refusal {
        int eq = from;
        while (eq < to && body[eq] != '=') {
            eq++;
        }
        String key = text(body, from, eq, n);
        if (key.isEmpty()) {
            throw new Refusal(400, "form field " + n + " has no name");
        }
        if (key.length() > maxKeyChars) {
            throw new Refusal(400, "form field " + n + " has a name longer than " + maxKeyChars + " characters");
        }
        // A pair without '=' is a name with an empty value, as PHP reads it.
        return new Field(key, eq < to ? text(body, eq + 1, to, n) : "");
    }

    private static String text(byte[] body, int from, int to, int n) throws Refusal {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            int b = body[i] & 0xff;
            if (b == '+') {
                bytes.write(' ');
            } else if (b == '%') {
                if (i + 2 >= to || hex(body[i + 1]) < 0 || hex(body[i + 2]) < 0) {
                    throw new Refusal(400, "broken percent-encoding in form field " + n);
                }
                bytes.write(hex(body[i + 1]) * 16 + hex(body[i + 2]));
                i += 2;
            } else if (b < 0x21 || b > 0x7e) {
                throw new Refusal(
                        400,
                        "form field " + n + " holds a raw byte 0x" + Integer.toHexString(b) + ": not form-encoded");
            } else {
                bytes.write(b);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Refusal(400, "form field " + n + " is not UTF-8");
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
