package org.khmerai.text.segment;

import org.khmerai.text.cluster.TextUnits;
import org.khmerai.text.cluster.UnitKind;

/** Turns words written as text into the cluster hashes a {@link Lexicon} keeps. */
final class LexiconText {

    interface WordSink {
        void add(long[] clusters, int from, int to);
    }

    private LexiconText() {
    }

    /** Each line of {@code lines} that is one Khmer word, as its clusters. */
    static void forEachWord(String lines, WordSink sink) {
        long[] clusters = new long[Lexicon.MAX_WORD_CLUSTERS + 1];
        for (String word : lines.split("\n")) {
            int n = clusters(word, clusters);
            if (n > 0) {
                sink.add(clusters, 0, n);
            }
        }
    }

    /** The cluster hashes of a word made only of Khmer clusters, or 0 when it is not one or too long. */
    static int clusters(String word, long[] out) {
        if (word.isEmpty()) {
            return 0;
        }
        TextUnits units = TextUnits.of(word);
        if (units.count() == 0 || units.count() > out.length) {
            return 0;
        }
        for (int u = 0; u < units.count(); u++) {
            if (units.kind(u) != UnitKind.KHMER) {
                return 0;
            }
            out[u] = ClusterHashes.of(word, units.start(u), units.end(u));
        }
        return units.count();
    }
}
