package org.khmerai.text.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextUnitsTest {

    @Test
    void khmerClustersKeepSubscriptsVowelsAndSignsWithTheirBase() {
        // "Cambodia": ក ម្ពុ ជា — the coeng + PA and the vowel stay with MO
        assertThat(units("កម្ពុជា")).containsExactly("ក:KHMER", "ម្ពុ:KHMER", "ជា:KHMER");
        // "school" (sala rien) with a subscript cluster and a final sign
        assertThat(units("សាលារៀន")).containsExactly("សា:KHMER", "លា:KHMER", "រៀ:KHMER", "ន:KHMER");
        // "woman" (strey): two stacked subscripts
        assertThat(units("ស្ត្រី")).containsExactly("ស្ត្រី:KHMER");
    }

    @Test
    void numbersUrlsAndEmailsStayWhole() {
        assertThat(units("១២/០៥/២០២៤ 1,000.50")).containsExactly("១២/០៥/២០២៤:NUMBER", " :SPACE", "1,000.50:NUMBER");
        assertThat(units("https://moeys.gov.kh/km។")).containsExactly("https://moeys.gov.kh/km:FOREIGN", "។:SYMBOL");
        assertThat(units("info@moeys.gov.kh")).containsExactly("info@moeys.gov.kh:FOREIGN");
        assertThat(units("Hello...")).containsExactly("Hello:FOREIGN", "...:SYMBOL");
    }

    @Test
    void zeroWidthSpacesAreBoundaryHintsAndRepetitionSignIsASymbol() {
        assertThat(units("ក\u200Bខៗ")).containsExactly("ក:KHMER", "\u200B:BOUNDARY_HINT", "ខ:KHMER", "ៗ:SYMBOL");
    }

    @Test
    void unitsCoverTheWholeTextInOrder() {
        String text = "\uD800x😀 ក្ ា\u0007ไทย";
        TextUnits units = TextUnits.of(text);
        int expectedStart = 0;
        for (int u = 0; u < units.count(); u++) {
            assertThat(units.start(u)).isEqualTo(expectedStart);
            assertThat(units.end(u)).isGreaterThan(units.start(u));
            expectedStart = units.end(u);
        }
        assertThat(expectedStart).isEqualTo(text.length());
    }

    private static List<String> units(String text) {
        TextUnits units = TextUnits.of(text);
        List<String> out = new ArrayList<>();
        for (int u = 0; u < units.count(); u++) {
            out.add(text.substring(units.start(u), units.end(u)) + ":" + units.kind(u));
        }
        return out;
    }
}
