package org.khmerai.text.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserDictionaryTest {

    private static final KhmerWordSegmenter COARSE = KhmerWordSegmenter.shipped("coarse");

    // "Ministry of Education, Youth and Sport", then "announced"
    private static final String MINISTRY = "ក្រសួងអប់រំយុវជននិងកីឡា";
    private static final String TEXT = MINISTRY + "បានប្រកាស";

    @Test
    void keepsATenantsTermAsOneWordWithoutRetraining() {
        assertThat(words(COARSE.segment(TEXT))).doesNotContain(MINISTRY);
        List<Token> tokens = COARSE.segment(TEXT, UserDictionary.of(List.of(MINISTRY)));
        assertThat(words(tokens)).startsWith(MINISTRY);
        assertThat(tokens.getFirst().end()).isEqualTo(MINISTRY.length());
        // the words after the term are still the model's
        assertThat(words(tokens).subList(1, tokens.size())).isEqualTo(words(COARSE.segment("បានប្រកាស")));
    }

    @Test
    void theLongestTermWinsAndTermsOnlyMatchWholeClusters() {
        UserDictionary dictionary = UserDictionary.of(List.of("ក្រសួង", MINISTRY));
        assertThat(words(COARSE.segment(TEXT, dictionary))).startsWith(MINISTRY);
        // "ក" is a term, but the cluster "ក្រ" only begins with the letter: nothing forced
        UserDictionary letter = UserDictionary.of(List.of("ក"));
        assertThat(words(COARSE.segment(TEXT, letter))).isEqualTo(words(COARSE.segment(TEXT)));
    }

    @Test
    void refusesTermsThatAreNotKhmerWords() {
        assertThatThrownBy(() -> UserDictionary.of(List.of("")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserDictionary.of(List.of("ក្រសួង អប់រំ")))
                .hasMessageContaining("ក្រសួង អប់រំ");
        assertThatThrownBy(() -> UserDictionary.of(List.of("UNESCO")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserDictionary.of(List.of("ក".repeat(UserDictionary.MAX_TERM_CLUSTERS + 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> words(List<Token> tokens) {
        return tokens.stream().map(Token::text).toList();
    }
}
