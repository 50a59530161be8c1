package org.khmerai.text.term;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds a list of Khmer and English terms in a text, on word boundaries only: a term matches where a
 * word of the text begins and ends where one ends, in the canonical spelling, Latin letters in any case.
 */
public final class TermMatcher {

    /** The terms by their first char, lower case. */
    private final Map<Character, List<String>> byFirstChar = new HashMap<>();

    public TermMatcher(List<String> terms) {
        for (String term : terms) {
            String canonical = CanonicalText.canonical(term.strip());
            byFirstChar.computeIfAbsent(first(canonical, 0), c -> new ArrayList<>()).add(canonical);
        }
        byFirstChar.values().forEach(list -> list.sort((a, b) -> b.length() - a.length()));
    }

    /** Where one of the terms was found, in UTF-16 offsets into the canonical text, and which (canonical) term. */
    public record Match(int start, int end, String term) {
    }

    /** The terms found, longest first where two start at the same place, never overlapping. */
    public List<Match> find(CanonicalText canonicalText) {
        String text = canonicalText.text();
        List<Match> found = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            String term = longestAt(canonicalText, at);
            if (term != null) {
                found.add(new Match(at, at + term.length(), term));
                at += term.length();
            } else {
                at++;
            }
        }
        return found;
    }

    /** The longest term that starts a word at {@code at} and ends one; null when none does. */
    private String longestAt(CanonicalText canonicalText, int at) {
        List<String> candidates = byFirstChar.get(first(canonicalText.text(), at));
        if (candidates == null || !canonicalText.isWordStart(at)) {
            return null;
        }
        String text = canonicalText.text();
        for (String term : candidates) {
            int end = at + term.length();
            if (end <= text.length() && text.regionMatches(true, at, term, 0, term.length()) && canonicalText.isWordEnd(end)) {
                return term;
            }
        }
        return null;
    }

    private static char first(String text, int at) {
        return Character.toLowerCase(Character.toUpperCase(text.charAt(at)));
    }
}
