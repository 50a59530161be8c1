package org.khmerai.text.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.khmerai.text.normalize.KhmerNormalizer.Normalized;
import org.khmerai.text.normalize.KhmerNormalizer.Repair;
import org.khmerai.text.normalize.KhmerNormalizer.RepairKind;

class KhmerNormalizerTest {

    private final KhmerNormalizer normalizer = new KhmerNormalizer();

    @Test
    void composesDecomposedCharactersAndSaysSo() {
        // "café" typed with a combining acute accent, inside Khmer "coffee shop" text
        Normalized result = normalizer.normalize("ហាង cafe\u0301");
        assertThat(result.text()).isEqualTo("ហាង caf\u00E9");
        assertThat(result.changed()).isTrue();
        assertThat(result.repairs()).extracting(Repair::kind).containsExactly(RepairKind.UNICODE_COMPOSITION);
    }

    @Test
    void leavesCanonicalTextAlone() {
        // "Cambodia", "woman", "group"
        Normalized result = normalizer.normalize("កម្ពុជា ស្ត្រី ក្រុម");
        assertThat(result.changed()).isFalse();
        assertThat(result.repairs()).isEmpty();
    }

    @Test
    void reordersMarksIntoTheEncodingOrderAndReportsWhere() {
        // "group" (ក្រុម) typed with the vowel before the subscript RO
        Normalized group = normalizer.normalize("ក\u17BB\u17D2\u179Aម");
        assertThat(group.text()).isEqualTo("ក្រុម");
        assertThat(group.repairs()).containsExactly(
                new Repair(RepairKind.KHMER_SPELLING, 0, 4, 0, 4, "ក\u17BB\u17D2\u179A", "ក\u17D2\u179A\u17BB"));
        // "woman" (ស្ត្រី) with the subscript RO typed before the subscript TA
        assertThat(normalizer.normalize("ស\u17D2\u179A\u17D2\u178F\u17B8").text()).isEqualTo("ស្ត្រី");
        // a register shifter typed after the vowel: ប៊ី
        assertThat(normalizer.normalize("ប\u17B8\u17CA").text()).isEqualTo("ប\u17CA\u17B8");
    }

    @Test
    void dropsDuplicatedAndInvisibleMarksAndComposesSplitVowels() {
        assertThat(normalizer.normalize("កា\u17B6").text()).isEqualTo("កា");
        assertThat(normalizer.normalize("ក\u17B4ា").text()).isEqualTo("កា");
        assertThat(normalizer.normalize("ក\u200C\u200Cា").text()).isEqualTo("ក\u200Cា");
        // េ + ា is ោ, េ + ី is ើ
        assertThat(normalizer.normalize("ក\u17C1\u17B6").text()).isEqualTo("ក\u17C4");
        assertThat(normalizer.normalize("ក\u17B8\u17C1").text()).isEqualTo("ក\u17BE");
    }

    @Test
    void unifiesSubscriptDaWithTaAndReplacesDeprecatedCharacters() {
        // "about" written with subscript DA and with subscript TA look the same
        assertThat(normalizer.normalize("អំពីក្ដី").text()).isEqualTo("អំពីក្តី");
        assertThat(normalizer.normalize("\u17A3ក").text()).isEqualTo("\u17A2ក");
        assertThat(normalizer.normalize("\u17A4").text()).isEqualTo("\u17A2\u17B6");
        Normalized beyyal = normalizer.normalize("ផ្លែឈើ\u17D8");
        assertThat(beyyal.text()).isEqualTo("ផ្លែឈើ។ល។");
        assertThat(beyyal.repairs()).extracting(Repair::kind).containsExactly(RepairKind.DEPRECATED_CHARACTER);
    }

    @Test
    void randomTextNormalizesOnceForAllAndRepairsPointIntoTheInput() {
        Random random = new Random(20261123);
        int[][] ranges = {{0x1780, 0x17FF}, {0x1780, 0x17A2}, {0x17B4, 0x17D3}, {0x20, 0x7E}, {0x300, 0x36F},
                {0x1F600, 0x1F64F}, {0xD800, 0xDFFF}, {0x200B, 0x200D}};
        for (int i = 0; i < 3_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int c = random.nextInt(60); c > 0; c--) {
                int[] range = ranges[random.nextInt(ranges.length)];
                text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
            }
            String input = text.toString();
            Normalized once = normalizer.normalize(input);
            assertThat(normalizer.normalize(once.text()).text()).as("idempotent on %s", input).isEqualTo(once.text());
            for (Repair repair : once.repairs()) {
                assertThat(input.substring(repair.start(), repair.end())).isEqualTo(repair.original());
                assertThat(input.codePointCount(0, repair.start())).isEqualTo(repair.startCodePoint());
            }
        }
    }
}
