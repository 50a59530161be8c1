package org.khmerai.text.normalize;

import java.util.Arrays;

/**
 * The canonical spelling of one Khmer syllable (a base and the marks that follow it), after the
 * Unicode Khmer encoding structure and SIL's khnormal: base, robat, subscripts (coeng + consonant,
 * coeng RO last), register shifters, joiners, then vowels (pre, below, above, post) and signs.
 * Typists and old fonts put these in any order that looks the same on screen; the canonical order
 * makes the same word the same code points. Also: duplicated marks and stray invisible characters
 * dropped, split vowels composed (េ + ា = ោ, េ + ី = ើ), subscript DA written as subscript TA (the two
 * look the same and both spellings are in use), and the deprecated independent vowels replaced.
 */
public final class KhmerSyllable {

    private static final char COENG = '\u17D2';
    private static final char RO = '\u179A';
    private static final char DA = '\u178A';
    private static final char TA = '\u178F';

    // categories in canonical order; a consonant after a coeng takes the coeng's category
    private static final int OTHER = 0;
    private static final int BASE = 1;
    private static final int ROBAT = 2;
    private static final int SUBSCRIPT = 3;
    private static final int SHIFTER = 4;
    private static final int JOINER = 5;
    private static final int VOWEL_PRE = 6;
    private static final int VOWEL_BELOW = 7;
    private static final int VOWEL_ABOVE = 8;
    private static final int VOWEL_POST = 9;
    private static final int SIGN = 10;
    private static final int SIGN_FINAL = 11;
    private static final int DROPPED = 12;

    private KhmerSyllable() {
    }

    private static final byte[] KHMER_BLOCK = new byte[0x80];

    static {
        for (char c = '\u1780'; c <= '\u17FF'; c++) {
            KHMER_BLOCK[c - '\u1780'] = (byte) categoryOf(c);
        }
    }

    static int category(char c) {
        return c >= '\u1780' && c <= '\u17FF' ? KHMER_BLOCK[c - '\u1780'] : categoryOf(c);
    }

    private static int categoryOf(char c) {
        if (c >= '\u1780' && c <= '\u17B3') {
            return BASE;
        }
        return switch (c) {
            case '\u17B4', '\u17B5' -> DROPPED; // invisible inherent vowels: "should not be used"
            case '\u17B6' -> VOWEL_POST;
            case '\u17B7', '\u17B8', '\u17B9', '\u17BA' -> VOWEL_ABOVE;
            case '\u17BB', '\u17BC', '\u17BD' -> VOWEL_BELOW;
            case '\u17BE', '\u17BF', '\u17C0', '\u17C1', '\u17C2', '\u17C3', '\u17C4', '\u17C5' -> VOWEL_PRE;
            case '\u17C6', '\u17CB', '\u17CD', '\u17CE', '\u17CF', '\u17D0', '\u17D1', '\u17D3', '\u17DD' -> SIGN;
            case '\u17C7', '\u17C8' -> SIGN_FINAL;
            case '\u17C9', '\u17CA' -> SHIFTER;
            case '\u17CC' -> ROBAT;
            case COENG -> SUBSCRIPT;
            case '\u200C', '\u200D' -> JOINER;
            default -> OTHER;
        };
    }

    /** Whether text[start, end) is already spelled canonically: the common case, checked without copying. */
    public static boolean isCanonical(String text, int start, int end) {
        char first = text.charAt(start);
        if (first == '\u17A3' || first == '\u17A4') {
            return false;
        }
        if (category(first) != BASE) {
            return true; // marks without a base are left as typed
        }
        int previous = BASE;
        char last = first;
        for (int i = start + 1; i < end; i++) {
            char c = text.charAt(i);
            int category = category(c);
            if (category == BASE) {
                if (last != COENG || c == DA || (c == RO && i + 1 < end && text.charAt(i + 1) == COENG)) {
                    return false;
                }
                category = SUBSCRIPT;
            }
            if (category < previous || category == DROPPED || category == OTHER
                    || (c == last && category != SUBSCRIPT) || (category == JOINER && previous == JOINER)
                    || (last == '\u17C1' && (c == '\u17B6' || c == '\u17B8'))) {
                return false;
            }
            previous = category;
            last = c;
        }
        return true;
    }

    /**
     * Writes the canonical spelling of the syllable text[start, end) into {@code out} (which must hold
     * {@code end - start + 1} chars) and returns its length.
     */
    public static int canonicalize(String text, int start, int end, char[] out) {
        long[] keys = new long[end - start + 1];
        int count = 0;
        char first = text.charAt(start);
        if (first == '\u17A3' || first == '\u17A4') { // deprecated: អ, and អ with ា
            keys[count++] = key(BASE, 0, 0, '\u17A2');
            if (first == '\u17A4') {
                keys[count++] = key(VOWEL_POST, 0, 0, '\u17B6');
            }
        } else if (category(first) == BASE) {
            keys[count++] = key(BASE, 0, 0, first);
        } else {
            text.getChars(start, end, out, 0); // marks without a base are left as typed
            return end - start;
        }
        for (int i = start + 1; i < end; i++) {
            char c = text.charAt(i);
            int category = category(c);
            if (category == BASE && text.charAt(i - 1) == COENG) {
                category = SUBSCRIPT;
                if (c == DA) {
                    c = TA;
                }
            }
            if (category == DROPPED) {
                continue;
            }
            // a coeng RO goes after the other subscripts
            int order = category == SUBSCRIPT && isCoengRo(text, i, start, end) ? 1 : 0;
            keys[count++] = key(category, order, i - start, c);
        }
        Arrays.sort(keys, 0, count);
        int length = 0;
        for (int k = 0; k < count; k++) {
            char c = (char) keys[k];
            int category = (int) (keys[k] >>> 40);
            char previous = length > 0 ? out[length - 1] : 0;
            if (length > 0 && category != SUBSCRIPT && (c == previous || (category == JOINER && category(previous) == JOINER))) {
                continue; // the same mark twice, or a second joiner
            }
            if (previous == '\u17C1' && c == '\u17B6') {
                out[length - 1] = '\u17C4';
            } else if (previous == '\u17C1' && c == '\u17B8') {
                out[length - 1] = '\u17BE';
            } else {
                out[length++] = c;
            }
        }
        return length;
    }

    private static long key(int category, int order, int position, char c) {
        return ((long) category << 40) | ((long) order << 32) | ((long) position << 16) | c;
    }

    /** Whether text[i] is a coeng or the consonant of a coeng RO pair. */
    private static boolean isCoengRo(String text, int i, int start, int end) {
        char c = text.charAt(i);
        return (c == COENG && i + 1 < end && text.charAt(i + 1) == RO) || (c == RO && i > start && text.charAt(i - 1) == COENG);
    }
}
