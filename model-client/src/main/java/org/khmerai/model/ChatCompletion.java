package org.khmerai.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a call asks a model server for, in the platform's terms; the client writes it as an
 * OpenAI-compatible {@code /v1/chat/completions} request, or for a server of the completions API as a
 * {@code /v1/completions} request whose prompt is the server's template filled with {@code promptValues}.
 *
 * @param messages     each with its role as the API names it: "system", "user", "assistant"
 * @param promptValues what a completions server's prompt template may have a place for, by name
 *                     (translation gives {@code source}, {@code target} and {@code text}); none for a chat call
 */
public record ChatCompletion(List<Message> messages, Optional<Float> temperature, Optional<Float> topP, int maxTokens,
                             List<String> stop, Map<String, String> promptValues) {

    public ChatCompletion {
        promptValues = Map.copyOf(promptValues);
    }

    /** A call for chat servers only. */
    public ChatCompletion(List<Message> messages, Optional<Float> temperature, Optional<Float> topP, int maxTokens, List<String> stop) {
        this(messages, temperature, topP, maxTokens, stop, Map.of());
    }

    public record Message(String role, String content) {
    }
}
