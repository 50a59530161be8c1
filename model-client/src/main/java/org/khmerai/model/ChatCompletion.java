package org.khmerai.model;

import java.util.List;
import java.util.Optional;

/**
 * What a chat call asks a model server for, in the platform's terms; the client writes it as an
 * OpenAI-compatible {@code /v1/chat/completions} request.
 *
 * @param messages each with its role as the API names it: "system", "user", "assistant"
 */
public record ChatCompletion(List<Message> messages, Optional<Float> temperature, Optional<Float> topP, int maxTokens,
                             List<String> stop) {

    public record Message(String role, String content) {
    }
}
