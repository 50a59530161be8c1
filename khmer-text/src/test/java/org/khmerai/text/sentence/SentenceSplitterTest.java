package org.khmerai.text.sentence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    private final SentenceSplitter splitter = new SentenceSplitter(1000);

    private List<String> sentences(String text) {
        return splitter.split(text).stream().map(sentence -> sentence.of(text)).toList();
    }

    @Test
    void khmerSentencesEndWithKhanAndBariyosanAndQuestionMarks() {
        assertThat(sentences("ខ្ញុំទៅសាលា។ អ្នកទៅណា? គាត់នៅផ្ទះ៕"))
                .containsExactly("ខ្ញុំទៅសាលា។", "អ្នកទៅណា?", "គាត់នៅផ្ទះ៕");
        assertThat(sentences("ខ្ញុំទៅសាលា។អ្នកទៅណា?គាត់នៅផ្ទះ")) // written without spaces between sentences
                .containsExactly("ខ្ញុំទៅសាលា។", "អ្នកទៅណា?", "គាត់នៅផ្ទះ");
    }

    @Test
    void englishSentencesEndWithAStopBeforeASpaceButNotAfterAnAbbreviationOrAnInitial() {
        assertThat(sentences("Dr. Sok met Mr. J. Smith at 9.30 today. He works for the U.S. embassy, e.g. in trade. Really? Yes!"))
                .containsExactly("Dr. Sok met Mr. J. Smith at 9.30 today.", "He works for the U.S. embassy, e.g. in trade.",
                        "Really?", "Yes!");
        assertThat(sentences("See example.org for details. the next word is lower case, so this goes on."))
                .containsExactly("See example.org for details. the next word is lower case, so this goes on.");
        assertThat(sentences("He said \"Stop.\" Then he left.")).containsExactly("He said \"Stop.\"", "Then he left.");
    }

    @Test
    void aLineBreakEndsASentenceAndTheTextBetweenSentencesIsKept() {
        String text = "  ចំណងជើង\n\nខ្ញុំទៅសាលា។ អ្នកទៅណា?\n";
        List<SentenceSplitter.Sentence> found = splitter.split(text);
        assertThat(found).extracting(sentence -> sentence.of(text)).containsExactly("ចំណងជើង", "ខ្ញុំទៅសាលា។", "អ្នកទៅណា?");
        assertThat(text.substring(0, found.get(0).start())).isEqualTo("  ");
        assertThat(text.substring(found.get(0).end(), found.get(1).start())).isEqualTo("\n\n");
        assertThat(text.substring(found.getLast().end())).isEqualTo("\n");
    }

    @Test
    void aSentenceOverTheLimitIsCutAtASpaceOrElseBetweenClusters() {
        SentenceSplitter small = new SentenceSplitter(20);
        String english = "one two three four five six seven eight";
        assertThat(small.split(english)).allMatch(sentence -> sentence.end() - sentence.start() <= 20)
                .extracting(sentence -> sentence.of(english)).containsExactly("one two three four", "five six seven eight");
        String khmer = "ក្រសួងសុខាភិបាលក្រសួងអប់រំយុវជននិងកីឡា"; // no space at all
        List<SentenceSplitter.Sentence> cut = small.split(khmer);
        assertThat(cut).allMatch(sentence -> sentence.end() - sentence.start() <= 20);
        assertThat(String.join("", cut.stream().map(sentence -> sentence.of(khmer)).toList())).isEqualTo(khmer);
        assertThat(cut).allMatch(sentence -> khmer.charAt(sentence.start()) != '\u17D2'
                && (sentence.start() == 0 || khmer.charAt(sentence.start() - 1) != '\u17D2'));
    }

    @Test
    void nothingToSplitGivesNoSentences() {
        assertThat(splitter.split("")).isEmpty();
        assertThat(splitter.split(" \n\u200B\t")).isEmpty();
    }

    @Test
    void anyTextSplitsIntoOrderedNonOverlappingSentencesThatHoldAllButTheSpaces() {
        Random random = new Random(7);
        String alphabet = "ក្រសួង។៕?!. \n\"”»abcA1\u200B\uD83D\uDE00";
        for (int round = 0; round < 2000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(200); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String input = text.toString();
            List<SentenceSplitter.Sentence> found = new SentenceSplitter(16).split(input);
            int at = 0;
            StringBuilder between = new StringBuilder();
            for (SentenceSplitter.Sentence sentence : found) {
                assertThat(sentence.start()).isGreaterThanOrEqualTo(at);
                assertThat(sentence.end()).isGreaterThan(sentence.start());
                assertThat(sentence.end() - sentence.start()).isLessThanOrEqualTo(16);
                between.append(input, at, sentence.start());
                at = sentence.end();
            }
            between.append(input.substring(at));
            assertThat(between.toString().replace("\u200B", "")).as(input).isBlank(); // a zero-width space is a space here
        }
    }
}
