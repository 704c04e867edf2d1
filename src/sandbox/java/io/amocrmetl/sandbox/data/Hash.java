package io.amocrmetl.sandbox.data;

import java.util.SplittableRandom;

/** Seed-derived randomness: every generated value is a pure function of (seed, stream, index). */
final class Hash {
    private Hash() {}

    /** SplitMix64's finalizer: a cheap, well-mixed 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long of(long seed, long stream, long index) {
        return mix(mix(mix(seed) + stream) + index);
    }

    /** A value in [0, bound). */
    static int below(long seed, long stream, long index, int bound) {
        return (int) Math.floorMod(of(seed, stream, index), (long) bound);
    }

    static SplittableRandom random(long seed, long stream, long index) {
        return new SplittableRandom(of(seed, stream, index));
    }
}
