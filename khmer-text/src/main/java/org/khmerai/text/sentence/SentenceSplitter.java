package org.khmerai.text.sentence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a text into sentences, for work that goes a sentence at a time (translation). A Khmer
 * sentence ends with ។ or ៕, or with ? or !; an English one with . ? or ! before a space, but not
 * after a known abbreviation or an initial, nor before a word in lower case; a line break always
 * ends one. Closing quotes and brackets stay with the sentence they close. The sentences keep their
 * offsets, so the text between them (spaces, paragraph breaks) can be put back as it was. A
 * sentence longer than the limit is cut at its last space or zero-width space before the limit,
 * else between two character clusters. Linear in the length of the text.
 */
public final class SentenceSplitter {

    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc",
            "e.g", "i.e", "fig", "inc", "ltd", "co", "dept", "gov", "u.s", "u.n", "jan", "feb", "mar", "apr", "jun", "jul",
            "aug", "sep", "sept", "oct", "nov", "dec", "art", "para", "approx");

    private final int maxChars;

    /** @param maxChars the longest a sentence may be, in UTF-16 chars; at least 16 */
    public SentenceSplitter(int maxChars) {
        if (maxChars < 16) {
            throw new IllegalArgumentException("a sentence limit under 16 chars would cut words apart: " + maxChars);
        }
        this.maxChars = maxChars;
    }

    /** One sentence: {@code text.substring(start, end)}, without the spaces around it. */
    public record Sentence(int start, int end) {

        public String of(String text) {
            return text.substring(start, end);
        }
    }

    public List<Sentence> split(String text) {
        List<Sentence> sentences = new ArrayList<>();
        int at = 0;
        while (true) {
            int start = skipSpace(text, at);
            if (start == text.length()) {
                return sentences;
            }
            int end = sentenceEnd(text, start);
            int trimmed = end;
            while (trimmed > start && isSpace(text.charAt(trimmed - 1))) {
                trimmed--;
            }
            addWithinLimit(text, start, trimmed, sentences);
            at = end;
        }
    }

    /** Where the sentence that begins at {@code start} ends: after its terminator and closers, or at a line break. */
    private static int sentenceEnd(String text, int start) {
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
            boolean ends = switch (c) {
                case '។', '៕' -> true;
                case '?', '!', '？', '！' -> nextStartsSentence(text, closersEnd(text, i + 1), true);
                case '.' -> !isAbbreviation(text, start, i) && nextStartsSentence(text, closersEnd(text, i + 1), false);
                default -> false;
            };
            if (ends) {
                return closersEnd(text, i + 1);
            }
        }
        return text.length();
    }

    /** Whether what follows a terminator (after its closers) begins a new sentence. */
    private static boolean nextStartsSentence(String text, int after, boolean khmerMayFollowDirectly) {
        if (after == text.length()) {
            return true;
        }
        char next = text.charAt(after);
        if (khmerMayFollowDirectly && isKhmer(next)) {
            return true;
        }
        if (!isSpace(next)) {
            return false; // 3.14, example.org, "?!"
        }
        int word = skipSpace(text, after);
        return word == text.length() || !Character.isLowerCase(text.charAt(word));
    }

    /** Whether the word that ends at the full stop {@code dot} is an abbreviation or an initial: "Dr.", "e.g.", "J." */
    private static boolean isAbbreviation(String text, int start, int dot) {
        int wordStart = dot;
        while (wordStart > start && (Character.isLetter(text.charAt(wordStart - 1)) || text.charAt(wordStart - 1) == '.')) {
            wordStart--;
        }
        String word = text.substring(wordStart, dot).toLowerCase(Locale.ROOT);
        return word.length() == 1 && Character.isLetter(word.charAt(0)) || ABBREVIATIONS.contains(word);
    }

    private static int closersEnd(String text, int at) {
        while (at < text.length() && "\"'”’»)]」".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        return at;
    }

    private void addWithinLimit(String text, int start, int end, List<Sentence> sentences) {
        while (end - start > maxChars) {
            int cut = start + maxChars;
            int space = cut;
            while (space > start && !isSpace(text.charAt(space))) {
                space--;
            }
            if (space > start) {
                cut = space;
            } else {
                while (cut > start + 1 && joinsPrevious(text, cut)) {
                    cut--;
                }
            }
            sentences.add(new Sentence(start, cut));
            start = skipSpace(text, cut);
        }
        if (end > start) {
            sentences.add(new Sentence(start, end));
        }
    }

    /** Whether the char at {@code at} belongs to the cluster before it: a Khmer sign or vowel, a subscript, a low surrogate. */
    private static boolean joinsPrevious(String text, int at) {
        char c = text.charAt(at);
        char before = text.charAt(at - 1);
        return c >= '\u17B6' && c <= '\u17D3' || c == '\u17DD' || before == '\u17D2'
                || Character.isLowSurrogate(c) || Character.getType(c) == Character.NON_SPACING_MARK;
    }

    private static int skipSpace(String text, int at) {
        while (at < text.length() && isSpace(text.charAt(at))) {
            at++;
        }
        return at;
    }

    /** Whitespace, the zero-width space Khmer writers use between words, and the no-break space. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u200B' || c == '\u00A0' || c == '\u202F';
    }

    private static boolean isKhmer(char c) {
        return c >= '\u1780' && c <= '\u17FF' || c >= '\u19E0' && c <= '\u19FF';
    }
}
