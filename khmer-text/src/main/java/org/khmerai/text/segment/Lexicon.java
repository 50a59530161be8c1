package org.khmerai.text.segment;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Known words as sequences of Khmer clusters, from up to two sources (the training data and a
 * reference word list, or a tenant's terms), for the segmenter's dictionary features. Every word
 * and every sequence a longer word starts with is one int of a single open-addressed table (28 bits of its hash, the
 * source bits in the low four), so one probe into a table that stays in cache answers for both
 * sources; a false match needs two hashes in the same probe run to agree on all 28 kept bits. Lookups walk
 * forward from each cluster and stop as soon as no longer known word continues that way.
 */
final class Lexicon {

    static final int MAX_WORD_CLUSTERS = 12;
    static final int MAX_FEATURE_LENGTH = 6;
    /** The sources a model's lexicon holds; a tenant's dictionary is a lexicon of one source. */
    static final int TRAINING_WORDS = 0;
    static final int REFERENCE_WORDS = 1;

    private static final int FLAGS = 0xF;
    private static final int PREFIX_FLAGS = prefixFlag(TRAINING_WORDS) | prefixFlag(REFERENCE_WORDS);
    private static final int TRAINING_WORD = wordFlag(TRAINING_WORDS);
    private static final int REFERENCE_WORD = wordFlag(REFERENCE_WORDS);

    private final int[] slots;
    private final int maxClusters;

    private Lexicon(Map<Long, Integer> flagsOfSequence, int maxClusters) {
        this.maxClusters = maxClusters;
        // a sixth to a third full: a probe for a sequence that is not there, as most walks end, reads
        // 1.2 to 1.6 slots on average (the shipped lexicon, 47,000 sequences, is 18% full; at 36% the
        // segmenter was 3% slower, at 72% 8%)
        slots = new int[Integer.highestOneBit(Math.max(16, flagsOfSequence.size() * 3)) << 1];
        int mask = slots.length - 1;
        flagsOfSequence.forEach((hash, flags) -> {
            int i = (int) (long) hash & mask;
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = key(hash) | flags;
        });
    }

    static Builder builder() {
        return new Builder(MAX_WORD_CLUSTERS);
    }

    /** A builder for words of up to {@code maxClusters} clusters, such as a tenant's long names. */
    static Builder builder(int maxClusters) {
        return new Builder(maxClusters);
    }

    /** Collects words with their full hashes; {@link #build} packs them into the compact table. */
    static final class Builder {
        private final Map<Long, Integer> flagsOfSequence = new HashMap<>();
        private final int maxClusters;

        private Builder(int maxClusters) {
            this.maxClusters = maxClusters;
        }

        /** Adds, for {@code source}, the word made of {@code clusters[from, to)}; longer words than the builder's limit are ignored. */
        Builder add(int source, long[] clusters, int from, int to) {
            if (to - from > maxClusters || to <= from) {
                return this;
            }
            long hash = ClusterHashes.BEGIN;
            for (int i = from; i < to - 1; i++) {
                hash = ClusterHashes.extend(hash, clusters[i]);
                flagsOfSequence.merge(hash, prefixFlag(source), (a, b) -> a | b);
            }
            hash = ClusterHashes.extend(hash, clusters[to - 1]);
            flagsOfSequence.merge(hash, wordFlag(source), (a, b) -> a | b);
            return this;
        }

        /** Adds, for {@code source}, each line of {@code lines} that is one Khmer word. */
        Builder addWords(int source, String lines) {
            LexiconText.forEachWord(lines, (clusters, from, to) -> add(source, clusters, from, to));
            return this;
        }

        Lexicon build() {
            return new Lexicon(flagsOfSequence, maxClusters);
        }
    }

    /**
     * For a run of {@code n} clusters and each boundary b (before cluster b, 1 <= b < n), per source:
     * the longest known word ending just before b, starting at b, and crossing b, in clusters; and
     * for each cluster, where the longest word starting there ends. {@code training} gets what the
     * first source says (the training words, or a tenant's terms), {@code reference} what the
     * reference words say, unless it is null. Each start's words are found in one walk that keeps
     * its longest ends at hand, and each probe answers for both sources.
     */
    void match(long[] clusters, int n, DictionaryEvidence training, DictionaryEvidence reference) {
        training.reset(n);
        if (reference != null) {
            reference.reset(n);
        }
        for (int s = 0; s < n; s++) {
            long hash = ClusterHashes.BEGIN;
            int limit = Math.min(n, s + maxClusters);
            int longestTraining = 0;
            int longestReference = 0;
            for (int e = s; e < limit; e++) {
                hash = ClusterHashes.extend(hash, clusters[e]);
                int flags = flags(hash);
                if ((flags & TRAINING_WORD) != 0) {
                    longestTraining = e + 1;
                    training.ending(s, e + 1);
                }
                if ((flags & REFERENCE_WORD) != 0 && reference != null) {
                    longestReference = e + 1;
                    reference.ending(s, e + 1);
                }
                if ((flags & PREFIX_FLAGS) == 0) {
                    break; // no known word goes on from here
                }
            }
            training.longestFrom(s, longestTraining);
            if (reference != null) {
                reference.longestFrom(s, longestReference);
            }
        }
    }

    /** The flag of a sequence that a longer word of {@code source} starts with. */
    private static int prefixFlag(int source) {
        return 1 << (2 * source);
    }

    private static int wordFlag(int source) {
        return 2 << (2 * source);
    }

    /** The source flags of a sequence hash: 0 when it is neither a known word nor the start of a longer one. */
    private int flags(long hash) {
        int key = key(hash);
        int mask = slots.length - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            int entry = slots[i];
            if (entry == 0) {
                return 0;
            }
            if ((entry & ~FLAGS) == key) {
                return entry & FLAGS;
            }
        }
    }

    /** The 28 bits of a sequence hash an entry keeps, from the half that does not pick its slot. */
    private static int key(long hash) {
        return (int) (hash >>> 32) & ~FLAGS;
    }

    /** What one source of the lexicon says about each boundary of one run; reused from run to run. */
    static final class DictionaryEvidence {
        byte[] endingBefore = new byte[64];
        byte[] startingAt = new byte[64];
        byte[] crossing = new byte[64];
        /** For each cluster, the end of the longest known word starting there (uncapped), or 0. */
        int[] longestEndFrom = new int[64];

        void reset(int n) {
            if (endingBefore.length < n + 1) {
                int size = Integer.highestOneBit(n) << 1;
                endingBefore = new byte[size];
                startingAt = new byte[size];
                crossing = new byte[size];
                longestEndFrom = new int[size];
            } else {
                Arrays.fill(endingBefore, 0, n + 1, (byte) 0);
                Arrays.fill(startingAt, 0, n + 1, (byte) 0);
                Arrays.fill(crossing, 0, n + 1, (byte) 0);
            }
        }

        /** A known word spans clusters [start, end). */
        void ending(int start, int end) {
            byte length = (byte) Math.min(MAX_FEATURE_LENGTH, end - start);
            if (endingBefore[end] < length) {
                endingBefore[end] = length;
            }
        }

        /** The longest known word from {@code start} ends at {@code longestEnd} (0: none): it starts there and crosses what it spans. */
        void longestFrom(int start, int longestEnd) {
            longestEndFrom[start] = longestEnd;
            if (longestEnd <= start) {
                return;
            }
            byte length = (byte) Math.min(MAX_FEATURE_LENGTH, longestEnd - start);
            startingAt[start] = length;
            for (int b = start + 1; b < longestEnd; b++) {
                if (crossing[b] < length) {
                    crossing[b] = length;
                }
            }
        }
    }
}
