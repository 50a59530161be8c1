package org.khmerai.text.normalize;

import java.text.Normalizer;

/**
 * Brings Khmer text into one canonical encoding so that the same word always has the same code points.
 * Today this is Unicode NFC; the Khmer-specific repairs NFC does not make (mis-ordered subscripts and
 * vowels, duplicated signs) come with the trained segmenter.
 */
public final class KhmerNormalizer {

    public Normalized normalize(String text) {
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFC);
        return new Normalized(normalized, !normalized.equals(text));
    }

    public record Normalized(String text, boolean changed) {
    }
}
