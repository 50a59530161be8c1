package org.khmerai.translation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.khmerai.model.ChatCompletion;
import org.khmerai.translation.resources.LanguagePair;
import org.khmerai.translation.resources.ResourceEntry;

/**
 * What a model is asked to translate one sentence. A chat model gets instructions (the direction, the
 * glossary's terms the sentence holds) and the sentence; a translation model of the completions API
 * gets its server's prompt template filled with the languages' codes and the sentence, and no terms.
 */
final class TranslationPrompt {

    /** What a completions server's prompt template may have a place for: the source and target language's codes, the sentence. */
    static final Set<String> PLACES = Set.of("source", "target", "text");

    private TranslationPrompt() {
    }

    static ChatCompletion of(LanguagePair pair, List<ResourceEntry> terms, String sentence, int maxTokens) {
        StringBuilder instructions = new StringBuilder("You translate official texts of the ministries of the Royal Government of Cambodia from ")
                .append(pair.source().name()).append(" to ").append(pair.target().name())
                .append(". Answer with the translation of the user's text only, without notes, quotes or explanations;"
                        + " keep its numbers, names and punctuation.");
        if (!terms.isEmpty()) {
            instructions.append("\nTranslate these terms exactly as given:");
            terms.forEach(term -> instructions.append("\n- ").append(term.source()).append(" => ").append(term.target()));
        }
        return new ChatCompletion(List.of(new ChatCompletion.Message("system", instructions.toString()),
                new ChatCompletion.Message("user", sentence)), Optional.of(0f), Optional.empty(), maxTokens, List.of(),
                Map.of("source", pair.source().code(), "target", pair.target().code(), "text", sentence));
    }
}
