package org.khmerai.text.segment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.khmerai.text.cluster.TextUnits;
import org.khmerai.text.cluster.UnitKind;

/**
 * The platform's Khmer word segmenter: where a Khmer word boundary is decided. The text is cut into
 * units (Khmer clusters are never split); between two Khmer clusters a trained boundary model
 * decides, everywhere else the boundary is plain (spaces, numbers, Latin words, punctuation).
 */
public final class KhmerWordSegmenter implements WordSegmenter {

    /** Each thread's buffers, kept while small so that a call allocates little beyond its tokens. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final SegmentationModel model;

    public KhmerWordSegmenter(SegmentationModel model) {
        this.model = model;
    }

    /** The model shipped with the library for a granularity: "coarse" (compounds whole) or "fine". */
    public static KhmerWordSegmenter shipped(String granularity) {
        String resource = "khmer-" + granularity + ".model";
        try (InputStream in = KhmerWordSegmenter.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no shipped model " + resource);
            }
            return new KhmerWordSegmenter(SegmentationModel.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped model " + resource + " does not load", e);
        }
    }

    @Override
    public String engine() {
        return "khmer-ai-" + model.name();
    }

    @Override
    public List<Token> segment(String text) {
        return segment(text, UserDictionary.EMPTY);
    }

    /** The tokens of {@code text}, each occurrence of one of the dictionary's terms kept as one word. */
    public List<Token> segment(String text, UserDictionary dictionary) {
        TextUnits units = TextUnits.of(text);
        Tokens tokens = new Tokens(text);
        Scratch scratch = SCRATCH.get();
        int u = 0;
        while (u < units.count()) {
            UnitKind kind = units.kind(u);
            if (kind == UnitKind.KHMER) {
                int runEnd = u + 1;
                while (runEnd < units.count() && units.kind(runEnd) == UnitKind.KHMER) {
                    runEnd++;
                }
                segmentRun(units, u, runEnd, tokens, scratch, dictionary);
                u = runEnd;
            } else {
                if (kind != UnitKind.SPACE && kind != UnitKind.BOUNDARY_HINT) {
                    tokens.add(units.start(u), units.end(u), kind == UnitKind.NUMBER ? TokenKind.NUMBER
                            : kind == UnitKind.FOREIGN ? TokenKind.WORD : TokenKind.PUNCTUATION);
                }
                u++;
            }
        }
        if (scratch.clusters.length > Scratch.KEPT_CLUSTERS) {
            SCRATCH.remove(); // a huge text's buffers are not worth keeping
        }
        return tokens.list;
    }

    /** Decides the boundaries inside one run of Khmer clusters [from, to). */
    private void segmentRun(TextUnits units, int from, int to, Tokens tokens, Scratch scratch, UserDictionary dictionary) {
        int n = to - from;
        long[] clusters = scratch.clusters(n);
        for (int i = 0; i < n; i++) {
            clusters[i] = ClusterHashes.of(units.text(), units.start(from + i), units.end(from + i));
        }
        model.lexicon().match(clusters, n, scratch.evidence, scratch.reference);
        byte[] decided = null; // by the tenant's terms, where it has any
        if (!dictionary.isEmpty()) {
            decided = scratch.decided(n);
            decideTerms(dictionary, clusters, n, scratch.terms, decided);
        }
        scratch.features.prepare(clusters, n);
        int wordStart = 0;
        for (int b = 1; b < n; b++) {
            boolean boundary;
            if (decided != null && decided[b] != UNDECIDED) {
                boundary = decided[b] == BOUNDARY;
            } else {
                scratch.features.extract(b, scratch.evidence, scratch.reference, scratch.featureHashes);
                boundary = model.score(scratch.featureHashes) > 0;
            }
            if (boundary) {
                tokens.addKhmer(units.start(from + wordStart), units.start(from + b));
                wordStart = b;
            }
        }
        tokens.addKhmer(units.start(from + wordStart), units.end(to - 1));
    }

    private static final byte UNDECIDED = 0;
    private static final byte BOUNDARY = 1;
    private static final byte INSIDE_TERM = 2;

    /** Leftmost-longest occurrences of the tenant's terms: boundaries at their edges, none inside. */
    private static void decideTerms(UserDictionary dictionary, long[] clusters, int n, Lexicon.DictionaryEvidence terms,
            byte[] decided) {
        dictionary.find(clusters, n, terms);
        int s = 0;
        while (s < n) {
            int end = terms.longestEndFrom[s];
            if (end == 0) {
                s++;
                continue;
            }
            decided[s] = BOUNDARY;
            for (int b = s + 1; b < end; b++) {
                decided[b] = INSIDE_TERM;
            }
            if (end < n) {
                decided[end] = BOUNDARY;
            }
            s = end;
        }
    }

    /** Buffers one call reuses from run to run. */
    private static final class Scratch {
        static final int KEPT_CLUSTERS = 1 << 12;
        final BoundaryFeatures features = new BoundaryFeatures();
        final long[] featureHashes = new long[BoundaryFeatures.COUNT];
        final Lexicon.DictionaryEvidence evidence = new Lexicon.DictionaryEvidence();
        final Lexicon.DictionaryEvidence reference = new Lexicon.DictionaryEvidence();
        final Lexicon.DictionaryEvidence terms = new Lexicon.DictionaryEvidence();
        long[] clusters = new long[64];
        byte[] decided = new byte[64];

        byte[] decided(int n) {
            if (decided.length < n) {
                decided = new byte[Integer.highestOneBit(n) << 1];
            } else {
                Arrays.fill(decided, 0, n, UNDECIDED);
            }
            return decided;
        }

        long[] clusters(int n) {
            if (clusters.length < n) {
                clusters = new long[Integer.highestOneBit(n) << 1];
            }
            return clusters;
        }
    }

    /** Collects tokens, counting code points as it goes so that offsets cost one pass. */
    private static final class Tokens {
        final String text;
        final List<Token> list;
        int position;
        int codePoints;

        Tokens(String text) {
            this.text = text;
            this.list = new ArrayList<>(text.length() / 4 + 4); // a Khmer word is about six chars
        }

        void add(int start, int end, TokenKind kind) {
            addCounted(start, end, kind, text.codePointCount(start, end));
        }

        /** A word of Khmer clusters: all in the Basic Multilingual Plane, one code point a char. */
        void addKhmer(int start, int end) {
            addCounted(start, end, TokenKind.WORD, end - start);
        }

        private void addCounted(int start, int end, TokenKind kind, int length) {
            int startCodePoint = codePoints + text.codePointCount(position, start);
            int endCodePoint = startCodePoint + length;
            list.add(new Token(text.substring(start, end), start, end, startCodePoint, endCodePoint, kind));
            position = end;
            codePoints = endCodePoint;
        }
    }
}
