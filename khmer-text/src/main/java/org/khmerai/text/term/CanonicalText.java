package org.khmerai.text.term;

import java.util.List;
import org.khmerai.text.normalize.KhmerNormalizer;
import org.khmerai.text.segment.KhmerWordSegmenter;
import org.khmerai.text.segment.Token;
import org.khmerai.text.segment.WordSegmenter;

/**
 * A text as term lists see it (a ministry's policy terms, a translation glossary): in its canonical
 * spelling (so that a word typed with its marks mis-ordered is still the word), with its word
 * boundaries where the Khmer segmenter puts them at fine granularity, so that a term matches the
 * parts of a compound but never inside a word. Segmented on first need, once.
 */
public final class CanonicalText {

    private static final KhmerNormalizer NORMALIZER = new KhmerNormalizer();
    private static final WordSegmenter SEGMENTER = KhmerWordSegmenter.shipped("fine");

    private final String text;
    private boolean[] wordStarts;
    private boolean[] wordEnds;

    private CanonicalText(String text) {
        this.text = text;
    }

    public static CanonicalText of(String text) {
        return new CanonicalText(canonical(text));
    }

    /** The canonical spelling of a text or a term. */
    public static String canonical(String text) {
        return NORMALIZER.normalize(text).text();
    }

    public String text() {
        return text;
    }

    /** Whether a word begins at UTF-16 offset {@code at}. */
    boolean isWordStart(int at) {
        segment();
        return wordStarts[at];
    }

    /** Whether a word ends just before UTF-16 offset {@code at}. */
    boolean isWordEnd(int at) {
        segment();
        return wordEnds[at];
    }

    private void segment() {
        if (wordStarts != null) {
            return;
        }
        wordStarts = new boolean[text.length() + 1];
        wordEnds = new boolean[text.length() + 1];
        List<Token> tokens = SEGMENTER.segment(text);
        for (Token token : tokens) {
            wordStarts[token.start()] = true;
            wordEnds[token.end()] = true;
        }
    }
}
