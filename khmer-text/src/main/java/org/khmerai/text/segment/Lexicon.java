package org.khmerai.text.segment;

import java.util.Arrays;

/**
 * Known words as sequences of Khmer clusters, for the segmenter's dictionary features and for
 * tenants' own terms. Lookups walk forward from each cluster and stop as soon as no known word
 * continues that way, so a run of n clusters costs a few set lookups per cluster.
 */
final class Lexicon {

    static final int MAX_WORD_CLUSTERS = 12;
    static final int MAX_FEATURE_LENGTH = 6;

    private final LongHashSet words;
    private final LongHashSet prefixes;

    Lexicon(int expectedWords) {
        this.words = new LongHashSet(expectedWords);
        this.prefixes = new LongHashSet(expectedWords * 3);
    }

    /** Adds the word made of {@code clusters[from, to)}; longer words are ignored. */
    void add(long[] clusters, int from, int to) {
        if (to - from > MAX_WORD_CLUSTERS || to <= from) {
            return;
        }
        long hash = ClusterHashes.BEGIN;
        for (int i = from; i < to; i++) {
            hash = ClusterHashes.extend(hash, clusters[i]);
            prefixes.add(hash);
        }
        words.add(hash);
    }

    /**
     * For a run of {@code n} clusters and each boundary b (before cluster b, 1 <= b < n): the
     * longest known word ending just before b, starting at b, and crossing b, in clusters.
     */
    void match(long[] clusters, int n, DictionaryEvidence evidence) {
        evidence.reset(n);
        for (int s = 0; s < n; s++) {
            long hash = ClusterHashes.BEGIN;
            int limit = Math.min(n, s + MAX_WORD_CLUSTERS);
            for (int e = s; e < limit; e++) {
                hash = ClusterHashes.extend(hash, clusters[e]);
                if (!prefixes.contains(hash)) {
                    break;
                }
                if (words.contains(hash)) {
                    evidence.word(s, e + 1);
                }
            }
        }
    }

    /** What the lexicon says about each boundary of one run; reused from run to run. */
    static final class DictionaryEvidence {
        byte[] endingBefore = new byte[64];
        byte[] startingAt = new byte[64];
        byte[] crossing = new byte[64];

        void reset(int n) {
            if (endingBefore.length < n + 1) {
                int size = Integer.highestOneBit(n) << 1;
                endingBefore = new byte[size];
                startingAt = new byte[size];
                crossing = new byte[size];
            } else {
                Arrays.fill(endingBefore, 0, n + 1, (byte) 0);
                Arrays.fill(startingAt, 0, n + 1, (byte) 0);
                Arrays.fill(crossing, 0, n + 1, (byte) 0);
            }
        }

        /** A known word spans clusters [start, end). */
        void word(int start, int end) {
            byte length = (byte) Math.min(MAX_FEATURE_LENGTH, end - start);
            if (endingBefore[end] < length) {
                endingBefore[end] = length;
            }
            if (startingAt[start] < length) {
                startingAt[start] = length;
            }
            for (int b = start + 1; b < end; b++) {
                if (crossing[b] < length) {
                    crossing[b] = length;
                }
            }
        }
    }
}
