package org.khmerai.translation.resources;

import java.util.regex.Pattern;
import org.khmerai.text.term.CanonicalText;

/**
 * The key a sentence is found by in the translation memory: its canonical spelling, zero-width
 * spaces dropped and other spaces collapsed to one, so that the same sentence typed with its marks
 * mis-ordered or spaced differently is still an exact match.
 */
public final class MemoryKey {

    private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0\\u202F]+");

    private MemoryKey() {
    }

    public static String of(String sentence) {
        return SPACES.matcher(CanonicalText.canonical(sentence).replace("\u200B", "")).replaceAll(" ").strip();
    }
}
