package org.khmerai.translation.resources;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.khmerai.text.term.CanonicalText;
import org.khmerai.text.term.TermMatcher;

/**
 * A ministry's glossary for one language pair, as a translation uses it: which of its terms a
 * sentence holds (on word boundaries, in canonical spelling, so a term never matches inside a
 * longer word), and which of their required translations a translation lacks.
 */
public final class Glossary {

    public static final Glossary EMPTY = new Glossary(List.of());

    private final Map<String, ResourceEntry> byKey = new LinkedHashMap<>();
    private final TermMatcher sources;

    public Glossary(List<ResourceEntry> terms) {
        terms.forEach(term -> byKey.put(term.key(), term));
        this.sources = new TermMatcher(List.copyOf(byKey.keySet()));
    }

    /** The key a term is stored and matched by. */
    public static String key(String term) {
        return CanonicalText.canonical(term.strip());
    }

    /** The glossary's terms in a sentence, each once, in the order they first occur. */
    public List<ResourceEntry> termsIn(String sentence) {
        if (byKey.isEmpty()) {
            return List.of();
        }
        return sources.find(CanonicalText.of(sentence)).stream().map(match -> byKey.get(match.term())).distinct().toList();
    }

    /** The glossary's terms in {@code sentence} whose required translation {@code translation} does not hold. */
    public List<ResourceEntry> missedIn(String sentence, String translation) {
        return missingIn(termsIn(sentence), translation);
    }

    /** Those of {@code terms} whose required translation {@code translation} does not hold. */
    public static List<ResourceEntry> missingIn(List<ResourceEntry> terms, String translation) {
        if (terms.isEmpty()) {
            return List.of();
        }
        CanonicalText translated = CanonicalText.of(translation);
        return terms.stream().filter(term -> new TermMatcher(List.of(term.target())).find(translated).isEmpty()).toList();
    }
}
