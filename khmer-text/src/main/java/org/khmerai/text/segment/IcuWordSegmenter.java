package org.khmerai.text.segment;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;
import com.ibm.icu.util.VersionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Word boundaries from ICU4J's dictionary-based Khmer BreakIterator: the reference engine the
 * platform starts with and measures its own segmenter against.
 */
public final class IcuWordSegmenter implements WordSegmenter {

    private static final String ENGINE = "icu4j-" + VersionInfo.ICU_VERSION;

    /** Loaded once; each call works on a clone because a BreakIterator keeps its position. */
    private final BreakIterator prototype = BreakIterator.getWordInstance(ULocale.forLanguageTag("km"));

    @Override
    public List<Token> segment(String text) {
        BreakIterator boundaries = (BreakIterator) prototype.clone();
        boundaries.setText(text);
        List<Token> tokens = new ArrayList<>();
        int start = boundaries.first();
        int startCodePoint = 0;
        for (int end = boundaries.next(); end != BreakIterator.DONE; start = end, end = boundaries.next()) {
            int endCodePoint = startCodePoint + text.codePointCount(start, end);
            Optional<TokenKind> kind = kindOf(text, start, end, boundaries.getRuleStatus());
            if (kind.isPresent()) {
                tokens.add(new Token(text.substring(start, end), start, end, startCodePoint, endCodePoint, kind.get()));
            }
            startCodePoint = endCodePoint;
        }
        return tokens;
    }

    @Override
    public String engine() {
        return ENGINE;
    }

    private static Optional<TokenKind> kindOf(String text, int start, int end, int ruleStatus) {
        if (ruleStatus >= BreakIterator.WORD_NUMBER && ruleStatus < BreakIterator.WORD_NUMBER_LIMIT) {
            return Optional.of(TokenKind.NUMBER);
        }
        if (ruleStatus >= BreakIterator.WORD_LETTER) {
            return Optional.of(TokenKind.WORD);
        }
        return isVisible(text, start, end) ? Optional.of(TokenKind.PUNCTUATION) : Optional.empty();
    }

    /** Spaces, zero-width spaces and control characters separate words but are never words. */
    private static boolean isVisible(String text, int start, int end) {
        return text.substring(start, end).codePoints().anyMatch(c ->
                !UCharacter.isUWhiteSpace(c) && !UCharacter.hasBinaryProperty(c, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
                        && Character.getType(c) != Character.CONTROL);
    }
}
