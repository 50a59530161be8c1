package org.khmerai.text.segment;

/**
 * The evidence for a word boundary between two Khmer clusters: the clusters around it, alone and
 * in pairs and triples, and what the lexicon of the training data and the reference word list know
 * about words ending, starting and crossing there.
 * Each feature is a 64-bit hash; the model maps it to a weight.
 */
final class BoundaryFeatures {

    static final int COUNT = 18;

    // slots per line: cluster (4 positions, 7 lengths ending, 7 starting), pair (3 positions, 7 + 7 crossing), triple (2)
    private static final int CLUSTER_LINE = 32;
    private static final int PAIR_LINE = 32;
    private static final int TRIPLE_LINE = 2;

    private BoundaryFeatures() {
    }

    /** Fills {@code out} with the features of the boundary before cluster b of a run of n clusters. */
    static void extract(long[] clusters, int n, int b, Lexicon.DictionaryEvidence evidence,
            Lexicon.DictionaryEvidence reference, long[] out) {
        long before2 = b >= 2 ? clusters[b - 2] : ClusterHashes.OUTSIDE;
        long before = clusters[b - 1];
        long after = clusters[b];
        long after2 = b + 1 < n ? clusters[b + 1] : ClusterHashes.OUTSIDE;
        int ending = evidence.endingBefore[b];
        int starting = evidence.startingAt[b];
        int crossing = evidence.crossing[b];
        int referenceEnding = reference.endingBefore[b];
        int referenceStarting = reference.startingAt[b];
        int referenceCrossing = reference.crossing[b];
        // the features of one cluster, pair or triple share a cache line; a cluster is seen at four
        // boundaries in a row, a pair at three, a triple at two, so most lookups hit a line just read
        long beforeLine = feature(1, before);
        long afterLine = feature(1, after);
        out[0] = slot(beforeLine, CLUSTER_LINE, 0);
        out[1] = slot(afterLine, CLUSTER_LINE, 1);
        out[2] = slot(feature(1, before2), CLUSTER_LINE, 2);
        out[3] = slot(feature(1, after2), CLUSTER_LINE, 3);
        out[4] = slot(beforeLine, CLUSTER_LINE, 4 + ending);
        out[5] = slot(afterLine, CLUSTER_LINE, 4 + Lexicon.MAX_FEATURE_LENGTH + 1 + starting);
        long pairLine = feature(2, before, after);
        out[6] = slot(pairLine, PAIR_LINE, 0);
        out[7] = slot(feature(2, before2, before), PAIR_LINE, 1);
        out[8] = slot(feature(2, after, after2), PAIR_LINE, 2);
        out[9] = slot(pairLine, PAIR_LINE, 3 + crossing);
        out[10] = slot(pairLine, PAIR_LINE, 3 + Lexicon.MAX_FEATURE_LENGTH + 1 + referenceCrossing);
        out[11] = slot(feature(3, before2, before, after), TRIPLE_LINE, 0);
        out[12] = slot(feature(3, before, after, after2), TRIPLE_LINE, 1);
        out[13] = feature(4, before2, after2);
        int lengths = ending * 64 + starting * 8 + crossing;
        int referenceLengths = referenceEnding * 64 + referenceStarting * 8 + referenceCrossing;
        out[14] = feature(5, lengths);
        out[15] = feature(6, referenceLengths);
        out[16] = feature(7, lengths, referenceLengths);
        out[17] = feature(8, 0);
    }

    /** A feature in slot {@code slot} of the line that {@code line} hashes to; the model indexes by the low bits. */
    private static long slot(long line, int lineSize, int slot) {
        return (line & -lineSize) | slot;
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
