package org.khmerai.text.segment;

import java.util.Collection;
import java.util.List;

/**
 * A tenant's own terms (names of programmes, places, laws) that the segmenter keeps as one word,
 * applied at segmentation time without retraining: where a term occurs, leftmost and longest first,
 * its edges are word boundaries and nothing inside it is. Immutable, thread-safe.
 */
public final class UserDictionary {

    /** The longest term, in character clusters: long enough for a ministry's full name. */
    public static final int MAX_TERM_CLUSTERS = 64;

    /** The terms are the only source of the dictionary's lexicon. */
    private static final int TERMS = 0;

    public static final UserDictionary EMPTY = new UserDictionary(List.of(), Lexicon.builder().build());

    private final List<String> terms;
    private final Lexicon lexicon;

    private UserDictionary(List<String> terms, Lexicon lexicon) {
        this.terms = terms;
        this.lexicon = lexicon;
    }

    /**
     * The dictionary of {@code terms}; each must be Khmer text of 1 to {@value #MAX_TERM_CLUSTERS}
     * character clusters without spaces.
     *
     * @throws IllegalArgumentException naming the first term that is not
     */
    public static UserDictionary of(Collection<String> terms) {
        Lexicon.Builder builder = Lexicon.builder(MAX_TERM_CLUSTERS);
        long[] clusters = new long[MAX_TERM_CLUSTERS + 1];
        for (String term : terms) {
            builder.add(TERMS, clusters, 0, clustersOf(term, clusters));
        }
        return new UserDictionary(List.copyOf(terms), builder.build());
    }

    /**
     * Checks that {@code term} could be in a dictionary, as {@link #of} would.
     *
     * @throws IllegalArgumentException naming the term if it could not
     */
    public static void check(String term) {
        clustersOf(term, new long[MAX_TERM_CLUSTERS + 1]);
    }

    private static int clustersOf(String term, long[] clusters) {
        int n = LexiconText.clusters(term, clusters);
        if (n == 0 || n > MAX_TERM_CLUSTERS) {
            throw new IllegalArgumentException("\"" + term + "\" is not a Khmer term of 1 to "
                    + MAX_TERM_CLUSTERS + " character clusters without spaces");
        }
        return n;
    }

    public List<String> terms() {
        return terms;
    }

    boolean isEmpty() {
        return terms.isEmpty();
    }

    /** Finds the terms in a run of clusters: {@code found.longestEndFrom} then says where the longest one from each cluster ends. */
    void find(long[] clusters, int n, Lexicon.DictionaryEvidence found) {
        lexicon.match(clusters, n, found, null);
    }
}
