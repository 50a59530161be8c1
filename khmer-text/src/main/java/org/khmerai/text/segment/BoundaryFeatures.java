package org.khmerai.text.segment;

/**
 * The evidence for a word boundary between two Khmer clusters: the clusters around it, alone and
 * in pairs and triples, and what the lexicon knows about words ending, starting and crossing there.
 * Each feature is a 64-bit hash; the model maps it to a weight.
 */
final class BoundaryFeatures {

    static final int COUNT = 15;

    private BoundaryFeatures() {
    }

    /** Fills {@code out} with the features of the boundary before cluster b of a run of n clusters. */
    static void extract(long[] clusters, int n, int b, Lexicon.DictionaryEvidence evidence, long[] out) {
        long before2 = b >= 2 ? clusters[b - 2] : ClusterHashes.OUTSIDE;
        long before = clusters[b - 1];
        long after = clusters[b];
        long after2 = b + 1 < n ? clusters[b + 1] : ClusterHashes.OUTSIDE;
        int ending = evidence.endingBefore[b];
        int starting = evidence.startingAt[b];
        int crossing = evidence.crossing[b];
        out[0] = feature(1, before);
        out[1] = feature(2, after);
        out[2] = feature(3, before2);
        out[3] = feature(4, after2);
        out[4] = feature(5, before, after);
        out[5] = feature(6, before2, before);
        out[6] = feature(7, after, after2);
        out[7] = feature(8, before2, before, after);
        out[8] = feature(9, before, after, after2);
        out[9] = feature(10, before2, after2);
        out[10] = feature(11, ending * 64 + starting * 8 + crossing);
        out[11] = feature(12, ending, before);
        out[12] = feature(13, starting, after);
        out[13] = feature(14, crossing, before, after);
        out[14] = feature(15, 0);
    }

    // one mix per feature: the odd multipliers keep (a, b) and (b, a) apart
    private static long feature(int template, long a) {
        return ClusterHashes.mix(a + template * 0x9E3779B97F4A7C15L);
    }

    private static long feature(int template, long a, long b) {
        return ClusterHashes.mix(a * 0xC2B2AE3D27D4EB4FL + b + template * 0x9E3779B97F4A7C15L);
    }

    private static long feature(int template, long a, long b, long c) {
        return ClusterHashes.mix((a * 0xC2B2AE3D27D4EB4FL + b) * 0x165667B19E3779F9L + c + template * 0x9E3779B97F4A7C15L);
    }
}
