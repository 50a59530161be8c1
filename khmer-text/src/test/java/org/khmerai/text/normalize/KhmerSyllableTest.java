package org.khmerai.text.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KhmerSyllableTest {

    @Test
    void theFastCheckAgreesWithTheRepairOnRandomSyllables() {
        // isCanonical is the segmenter's hot-path shortcut for "canonicalize would change nothing"
        Random random = new Random(20261123);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder syllable = new StringBuilder();
            syllable.append((char) (0x1780 + random.nextInt(0x17B4 - 0x1780)));
            for (int m = random.nextInt(5); m > 0; m--) {
                int pick = random.nextInt(10);
                if (pick < 3) {
                    syllable.append('\u17D2').append((char) (0x1780 + random.nextInt(0x17A3 - 0x1780)));
                } else if (pick == 3) {
                    syllable.append((char) (0x200C + random.nextInt(2)));
                } else {
                    syllable.append((char) (0x17B4 + random.nextInt(0x17D4 - 0x17B4)));
                }
            }
            String text = syllable.toString();
            char[] out = new char[text.length() + 1];
            String canonical = new String(out, 0, KhmerSyllable.canonicalize(text, 0, text.length(), out));
            assertThat(KhmerSyllable.isCanonical(text, 0, text.length())).as("%s", text.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(canonical.equals(text));
        }
    }
}
