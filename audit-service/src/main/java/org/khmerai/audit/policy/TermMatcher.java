package org.khmerai.audit.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds a list of Khmer and English terms in a text, on word boundaries only: a term matches where a
 * word of the text begins and ends where one ends, in the canonical spelling, Latin letters in any case.
 */
final class TermMatcher {

    /** The terms by their first char, lower case. */
    private final Map<Character, List<String>> byFirstChar = new HashMap<>();

    TermMatcher(List<String> terms) {
        for (String term : terms) {
            String canonical = PolicyText.canonical(term.strip());
            byFirstChar.computeIfAbsent(first(canonical, 0), c -> new ArrayList<>()).add(canonical);
        }
        byFirstChar.values().forEach(list -> list.sort((a, b) -> b.length() - a.length()));
    }

    List<Span> find(PolicyText policyText, String label) {
        String text = policyText.text();
        List<Span> found = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int end = longestAt(policyText, at);
            if (end > at) {
                found.add(new Span(at, end, label));
                at = end;
            } else {
                at++;
            }
        }
        return found;
    }

    /** Where the longest term that starts a word at {@code at} and ends one ends; {@code at} when none does. */
    private int longestAt(PolicyText policyText, int at) {
        List<String> candidates = byFirstChar.get(first(policyText.text(), at));
        if (candidates == null || !policyText.isWordStart(at)) {
            return at;
        }
        String text = policyText.text();
        for (String term : candidates) {
            int end = at + term.length();
            if (end <= text.length() && text.regionMatches(true, at, term, 0, term.length()) && policyText.isWordEnd(end)) {
                return end;
            }
        }
        return at;
    }

    private static char first(String text, int at) {
        return Character.toLowerCase(Character.toUpperCase(text.charAt(at)));
    }
}
