package org.khmerai.text.segment;

/** 64-bit hashes of clusters, cluster sequences and features; stable across runs, so models can store them. */
final class ClusterHashes {

    static final long BEGIN = 0x5EED_B0C0_1234_5678L;
    static final long OUTSIDE = 0x0F0F_1357_2468_ACE0L;

    private ClusterHashes() {
    }

    /** FNV-1a over the UTF-16 chars of text[start, end). */
    static long of(String text, int start, int end) {
        long hash = 0xcbf29ce484222325L;
        for (int i = start; i < end; i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return mix(hash);
    }

    /** The hash of a sequence of clusters after appending one more. */
    static long extend(long sequence, long cluster) {
        return mix(sequence * 0x9E3779B97F4A7C15L + cluster);
    }

    /** SplitMix64's finalizer: every input bit moves every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
