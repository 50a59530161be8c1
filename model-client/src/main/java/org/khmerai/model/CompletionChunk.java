package org.khmerai.model;

import java.util.List;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of one streamed {@code chat.completion.chunk} event that the client reads; the rest of
 * the event (ids, timestamps, log-probabilities) is skipped as it is parsed, not built into a tree.
 *
 * @param error set when the server reports an error in the middle of a stream
 */
record CompletionChunk(List<Choice> choices, Counts usage, JsonNode error) {

    private static final ObjectReader READER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build().readerFor(CompletionChunk.class);

    /**
     * Parses the UTF-8 JSON in {@code utf8[offset, offset + length)}.
     *
     * @throws tools.jackson.core.JacksonException when the event is not JSON of this shape
     */
    static CompletionChunk parse(byte[] utf8, int offset, int length) {
        return READER.readValue(utf8, offset, length);
    }

    record Choice(Delta delta, String finishReason) {
    }

    record Delta(String content) {
    }

    record Counts(Integer promptTokens, Integer completionTokens, Integer totalTokens) {

        Outcome.Usage usage() {
            return new Outcome.Usage(orZero(promptTokens), orZero(completionTokens), orZero(totalTokens));
        }

        private static int orZero(Integer count) {
            return count == null ? 0 : count;
        }
    }

    /** The answer's next piece; empty when this event carries none. */
    String content() {
        Choice first = firstChoice();
        return first == null || first.delta() == null || first.delta().content() == null ? "" : first.delta().content();
    }

    /** Why the answer ended, when this event says it did. */
    String finishReason() {
        Choice first = firstChoice();
        return first == null ? null : first.finishReason();
    }

    boolean failed() {
        return error != null && !error.isNull();
    }

    String errorMessage() {
        return error.path("message").asString("");
    }

    private Choice firstChoice() {
        return choices == null || choices.isEmpty() ? null : choices.getFirst();
    }
}
