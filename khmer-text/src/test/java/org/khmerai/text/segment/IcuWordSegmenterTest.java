package org.khmerai.text.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IcuWordSegmenterTest {

    private final WordSegmenter segmenter = new IcuWordSegmenter();

    @Test
    void splitsKhmerTextWithoutSpacesIntoWords() {
        // "Cambodia is a country in South-East Asia"
        String text = "កម្ពុជាជាប្រទេសមួយ";
        List<String> words = segmenter.segment(text).stream().map(Token::text).toList();
        assertThat(words).containsExactly("កម្ពុជា", "ជា", "ប្រទេស", "មួយ");
    }

    @Test
    void offsetsPointIntoTheCallersText() {
        String text = "សួស្តី hello ១២៣ 😀។";
        for (Token token : segmenter.segment(text)) {
            assertThat(text.substring(token.start(), token.end())).isEqualTo(token.text());
            assertThat(text.codePointCount(0, token.start())).isEqualTo(token.startCodePoint());
            assertThat(text.codePointCount(0, token.end())).isEqualTo(token.endCodePoint());
        }
    }

    @Test
    void tellsWordsNumbersAndPunctuationApartAndDropsSpaces() {
        // "hello" (Khmer), a Latin word, Khmer digits 123, a full stop (khan)
        List<Token> tokens = segmenter.segment("សួស្តី hello ១២៣ ។");
        assertThat(tokens).extracting(Token::text).containsExactly("សួស្តី", "hello", "១២៣", "។");
        assertThat(tokens).extracting(Token::kind)
                .containsExactly(TokenKind.WORD, TokenKind.WORD, TokenKind.NUMBER, TokenKind.PUNCTUATION);
    }

    @Test
    void emptyAndInvisibleTextHasNoTokens() {
        assertThat(segmenter.segment("")).isEmpty();
        assertThat(segmenter.segment("   \t\n")).isEmpty();
        assertThat(segmenter.segment("\u200B\u200B\u200B")).isEmpty();
    }

    @Test
    void randomStringsNeverThrowAndTokensStayInsideTheText() {
        Random random = new Random(20261123);
        for (int i = 0; i < 2_000; i++) {
            String text = randomText(random, random.nextInt(64));
            for (Token token : segmenter.segment(text)) {
                assertThat(token.start()).isLessThan(token.end());
                assertThat(token.end()).isLessThanOrEqualTo(text.length());
                assertThat(text.substring(token.start(), token.end())).isEqualTo(token.text());
            }
        }
    }

    /** Khmer, Thai, Latin, digits, emoji, controls and lone surrogates mixed. */
    private static String randomText(Random random, int length) {
        int[][] ranges = {{0x1780, 0x17FF}, {0x0E00, 0x0E7F}, {0x20, 0x7E}, {0x1F600, 0x1F64F}, {0x0, 0x1F},
                {0xD800, 0xDFFF}, {0x200B, 0x200D}};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int[] range = ranges[random.nextInt(ranges.length)];
            text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
        }
        return text.toString();
    }
}
