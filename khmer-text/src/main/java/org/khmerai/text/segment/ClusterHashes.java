package org.khmerai.text.segment;

import org.khmerai.text.normalize.KhmerSyllable;

/** 64-bit hashes of clusters, cluster sequences and features; stable across runs, so models can store them. */
final class ClusterHashes {

    static final long BEGIN = 0x5EED_B0C0_1234_5678L;
    static final long OUTSIDE = 0x0F0F_1357_2468_ACE0L;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ClusterHashes() {
    }

    /**
     * FNV-1a over the canonical spelling of the cluster text[start, end): a syllable typed in another
     * order, or with a doubled mark, is the same cluster to the model, and offsets stay the caller's.
     */
    static long of(String text, int start, int end) {
        long hash = FNV_OFFSET;
        if (KhmerSyllable.isCanonical(text, start, end)) {
            for (int i = start; i < end; i++) {
                hash = (hash ^ text.charAt(i)) * FNV_PRIME;
            }
        } else {
            char[] canonical = new char[end - start + 1];
            int length = KhmerSyllable.canonicalize(text, start, end, canonical);
            for (int i = 0; i < length; i++) {
                hash = (hash ^ canonical[i]) * FNV_PRIME;
            }
        }
        return mix(hash);
    }

    /**
     * The hash of a sequence of clusters after appending one more: one multiply and a fold, since
     * cluster hashes come mixed already; the fold brings the product's high bits down to the low
     * ones that pick a lexicon slot. Only lexicons use it, and they hash their words at load.
     */
    static long extend(long sequence, long cluster) {
        long h = (sequence ^ cluster) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }

    /** SplitMix64's finalizer: every input bit moves every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
