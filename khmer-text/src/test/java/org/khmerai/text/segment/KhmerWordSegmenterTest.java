package org.khmerai.text.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KhmerWordSegmenterTest {

    private static final KhmerWordSegmenter COARSE = KhmerWordSegmenter.shipped("coarse");
    private static final KhmerWordSegmenter FINE = KhmerWordSegmenter.shipped("fine");

    @Test
    void splitsKhmerTextWithoutSpacesIntoWords() {
        // "Cambodia is a country"; "I love Cambodia"
        assertThat(words(COARSE, "កម្ពុជាជាប្រទេសមួយ")).containsExactly("កម្ពុជា", "ជា", "ប្រទេស", "មួយ");
        assertThat(words(COARSE, "ខ្ញុំស្រឡាញ់កម្ពុជា")).containsExactly("ខ្ញុំ", "ស្រឡាញ់", "កម្ពុជា");
    }

    @Test
    void fineGranularitySplitsCompounds() {
        // "Mrs": one word coarse, "Mr/lord" + "woman" fine
        assertThat(words(COARSE, "លោកស្រី")).containsExactly("លោកស្រី");
        assertThat(words(FINE, "លោកស្រី")).containsExactly("លោក", "ស្រី");
    }

    @Test
    void keepsNumbersUrlsAndEmailsWholeAndHonoursZeroWidthSpaces() {
        // "date 12/05/2024" then an e-mail, a URL and the full stop
        List<Token> tokens = COARSE.segment("ថ្ងៃទី១២/០៥/២០២៤ info@moeys.gov.kh https://moeys.gov.kh/km។");
        assertThat(tokens).extracting(Token::text)
                .contains("១២/០៥/២០២៤", "info@moeys.gov.kh", "https://moeys.gov.kh/km", "។");
        assertThat(tokens).filteredOn(t -> t.text().equals("១២/០៥/២០២៤")).extracting(Token::kind).containsExactly(TokenKind.NUMBER);
        // a writer's zero-width space is a boundary and never part of a word
        assertThat(words(COARSE, "កម្ពុជា\u200Bជា")).containsExactly("កម្ពុជា", "ជា");
        assertThat(COARSE.segment("\u200B\u200B")).isEmpty();
    }

    @Test
    void misOrderedTypingSegmentsLikeTheCanonicalSpellingWithOffsetsIntoWhatWasTyped() {
        // "the group of women": ក្រុម (group) with the vowel typed before the subscript, ស្ត្រី (woman)
        // with the subscripts swapped and a doubled vowel
        String canonical = "ក្រុមស្ត្រី";
        String typed = "ក\u17BB\u17D2\u179Aមស\u17D2\u179A\u17D2\u178F\u17B8\u17B8";
        List<Token> tokens = COARSE.segment(typed);
        assertThat(tokens).extracting(Token::end).isEqualTo(COARSE.segment(canonical).stream()
                .map(t -> t.end() + (t.end() > 5 ? 1 : 0)).toList());
        for (Token token : tokens) {
            assertThat(typed.substring(token.start(), token.end())).isEqualTo(token.text());
        }
    }

    @Test
    void offsetsPointIntoTheCallersTextInUtf16AndCodePoints() {
        String text = "😀 សួស្តី hello ១២៣ 😀។";
        for (Token token : COARSE.segment(text)) {
            assertThat(text.substring(token.start(), token.end())).isEqualTo(token.text());
            assertThat(text.codePointCount(0, token.start())).isEqualTo(token.startCodePoint());
            assertThat(text.codePointCount(0, token.end())).isEqualTo(token.endCodePoint());
        }
    }

    @Test
    void randomStringsNeverThrowAndTokensStayInsideTheText() {
        Random random = new Random(20261123);
        int[][] ranges = {{0x1780, 0x17FF}, {0x1780, 0x17A2}, {0x17B6, 0x17D2}, {0x0E00, 0x0E7F}, {0x20, 0x7E},
                {0x1F600, 0x1F64F}, {0x0, 0x1F}, {0xD800, 0xDFFF}, {0x200B, 0x200D}};
        for (int i = 0; i < 3_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int c = random.nextInt(80); c > 0; c--) {
                int[] range = ranges[random.nextInt(ranges.length)];
                text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
            }
            String input = text.toString();
            int previousEnd = 0;
            for (Token token : COARSE.segment(input)) {
                assertThat(token.start()).isGreaterThanOrEqualTo(previousEnd).isLessThan(token.end());
                assertThat(input.substring(token.start(), token.end())).isEqualTo(token.text()).isNotBlank();
                previousEnd = token.end();
            }
        }
    }

    @Test
    void aMegabyteOfTextTakesLinearTime() {
        // about a million characters of Khmer running text with no space at all
        String sentence = "ក្រសួងអប់រំយុវជននិងកីឡាបានប្រកាសលទ្ធផលប្រឡងសញ្ញាបត្រមធ្យមសិក្សាទុតិយភូមិ";
        String text = sentence.repeat(1_000_000 / sentence.length());
        long started = System.nanoTime();
        List<Token> tokens = COARSE.segment(text);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(tokens.getLast().end()).isEqualTo(text.length());
        assertThat(took).as("a quadratic algorithm would take minutes").isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void theShippedModelLoadsQuickly() {
        long started = System.nanoTime();
        KhmerWordSegmenter.shipped("coarse");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    private static List<String> words(WordSegmenter segmenter, String text) {
        return segmenter.segment(text).stream().map(Token::text).toList();
    }
}
