package org.khmerai.translation;

import java.util.List;
import java.util.Optional;
import org.khmerai.model.ChatCompletion;
import org.khmerai.translation.resources.LanguagePair;
import org.khmerai.translation.resources.ResourceEntry;

/** What a chat model is asked to translate one sentence: the direction, the glossary's terms the sentence holds, the sentence. */
final class TranslationPrompt {

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
                new ChatCompletion.Message("user", sentence)), Optional.of(0f), Optional.empty(), maxTokens, List.of());
    }
}
