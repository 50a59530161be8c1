package org.khmerai.text.segment;

/**
 * The evidence for a word boundary between two Khmer clusters: the clusters around it, alone and
 * in pairs and triples, and what the lexicon of the training data and the reference word list know
 * about words ending, starting and crossing there.
 * Each feature is a 64-bit hash; the model maps it to a weight. One instance serves one thread:
 * {@link #prepare} hashes each cluster, pair and triple of a run once (a cluster is seen at four
 * boundaries in a row, a pair at three, a triple at two), then {@link #extract} reads them per boundary.
 */
final class BoundaryFeatures {

    static final int COUNT = 18;

    // slots per line: cluster (4 positions, 7 lengths ending, 7 starting), pair (3 positions, 7 + 7 crossing), triple (2)
    private static final int CLUSTER_LINE = 32;
    private static final int PAIR_LINE = 32;
    private static final int TRIPLE_LINE = 2;

    private static final int LENGTH_SHAPES = (Lexicon.MAX_FEATURE_LENGTH + 1) * 64;
    private static final long[] LENGTH_FEATURES = new long[LENGTH_SHAPES];
    private static final long[] REFERENCE_LENGTH_FEATURES = new long[LENGTH_SHAPES];
    private static final long BIAS = feature(8, 0);

    static {
        for (int shape = 0; shape < LENGTH_SHAPES; shape++) {
            LENGTH_FEATURES[shape] = feature(5, shape);
            REFERENCE_LENGTH_FEATURES[shape] = feature(6, shape);
        }
    }

    // the run with one OUTSIDE on each side: cluster i of the run is padded[i + 1]
    private long[] padded = new long[66];
    private long[] clusterLines = new long[66];
    private long[] pairLines = new long[66];
    private long[] tripleLines = new long[66];

    /** Hashes the clusters, pairs and triples of a run of n clusters, for {@link #extract} to read. */
    void prepare(long[] clusters, int n) {
        if (padded.length < n + 2) {
            int size = Integer.highestOneBit(n + 2) << 1;
            padded = new long[size];
            clusterLines = new long[size];
            pairLines = new long[size];
            tripleLines = new long[size];
        }
        padded[0] = ClusterHashes.OUTSIDE;
        System.arraycopy(clusters, 0, padded, 1, n);
        padded[n + 1] = ClusterHashes.OUTSIDE;
        for (int i = 0; i < n + 2; i++) {
            clusterLines[i] = feature(1, padded[i]);
        }
        for (int i = 0; i < n + 1; i++) {
            pairLines[i] = feature(2, padded[i], padded[i + 1]);
        }
        for (int i = 0; i < n; i++) {
            tripleLines[i] = feature(3, padded[i], padded[i + 1], padded[i + 2]);
        }
    }

    /** Fills {@code out} with the features of the boundary before cluster b of the prepared run. */
    void extract(int b, Lexicon.DictionaryEvidence evidence, Lexicon.DictionaryEvidence reference, long[] out) {
        // padded indices: b - 1 the cluster two before the boundary, b the one before, b + 1 after, b + 2 two after
        int ending = evidence.endingBefore[b];
        int starting = evidence.startingAt[b];
        int crossing = evidence.crossing[b];
        int referenceCrossing = reference.crossing[b];
        // the features of one cluster, pair or triple share a cache line, so most lookups hit a line just read
        long beforeLine = clusterLines[b];
        long afterLine = clusterLines[b + 1];
        out[0] = slot(beforeLine, CLUSTER_LINE, 0);
        out[1] = slot(afterLine, CLUSTER_LINE, 1);
        out[2] = slot(clusterLines[b - 1], CLUSTER_LINE, 2);
        out[3] = slot(clusterLines[b + 2], CLUSTER_LINE, 3);
        out[4] = slot(beforeLine, CLUSTER_LINE, 4 + ending);
        out[5] = slot(afterLine, CLUSTER_LINE, 4 + Lexicon.MAX_FEATURE_LENGTH + 1 + starting);
        long pairLine = pairLines[b];
        out[6] = slot(pairLine, PAIR_LINE, 0);
        out[7] = slot(pairLines[b - 1], PAIR_LINE, 1);
        out[8] = slot(pairLines[b + 1], PAIR_LINE, 2);
        out[9] = slot(pairLine, PAIR_LINE, 3 + crossing);
        out[10] = slot(pairLine, PAIR_LINE, 3 + Lexicon.MAX_FEATURE_LENGTH + 1 + referenceCrossing);
        out[11] = slot(tripleLines[b - 1], TRIPLE_LINE, 0);
        out[12] = slot(tripleLines[b], TRIPLE_LINE, 1);
        out[13] = feature(4, padded[b - 1], padded[b + 2]);
        int lengths = ending * 64 + starting * 8 + crossing;
        int referenceLengths = reference.endingBefore[b] * 64 + reference.startingAt[b] * 8 + referenceCrossing;
        out[14] = LENGTH_FEATURES[lengths];
        out[15] = REFERENCE_LENGTH_FEATURES[referenceLengths];
        out[16] = feature(7, lengths, referenceLengths);
        out[17] = BIAS;
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
