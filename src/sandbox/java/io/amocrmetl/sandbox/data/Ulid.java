package io.amocrmetl.sandbox.data;

/**
 * ULID-like event ids (docs/amocrm-api.md §2.4: "a string, ULID-like, e.g. 01drbfj5a8k9zd60bgg907a6w9"):
 * 48 bits of milliseconds then 80 random bits, Crockford base32, lower case. Sorting them sorts
 * by time.
 */
final class Ulid {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private Ulid() {}

    static String of(long millis, long randomHigh, long randomLow) {
        char[] out = new char[26];
        for (int k = 9; k >= 0; k--) {
            out[k] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits: 16 from randomHigh, 64 from randomLow, 5 bits per character.
        for (int k = 25; k >= 10; k--) {
            out[k] = ALPHABET[(int) (randomLow & 31)];
            randomLow = (randomLow >>> 5) | ((randomHigh & 31) << 59);
            randomHigh >>>= 5;
        }
        return new String(out);
    }
}
