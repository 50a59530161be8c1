package org.khmerai.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.khmerai.text.term.CanonicalText;

/**
 * A ministry's regular expression, run with a time budget: a pattern that backtracks without end on
 * some text (which no check at saving can rule out) is stopped, and the call is flagged instead.
 */
final class PatternMatching {

    static final long BUDGET_NANOS = 100_000_000L;

    private final Pattern pattern;

    PatternMatching(Pattern pattern) {
        this.pattern = pattern;
    }

    List<Span> find(CanonicalText text, String label) {
        List<Span> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(new Timed(text.text(), System.nanoTime() + BUDGET_NANOS));
        while (matcher.find()) {
            if (matcher.end() == matcher.start()) {
                continue; // a pattern such as \b matches between characters: there is nothing to report
            }
            found.add(new Span(matcher.start(), matcher.end(), label));
        }
        return found;
    }

    /** The text, read by the matcher, with a look at the clock every few thousand reads. */
    private static final class Timed implements CharSequence {
        private final String text;
        private final long deadline;
        private int reads;

        Timed(String text, long deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0xFFF) == 0 && System.nanoTime() > deadline) {
                throw new CompiledRule.OutOfTime();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
