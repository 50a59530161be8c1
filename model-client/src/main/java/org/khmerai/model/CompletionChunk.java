package org.khmerai.model;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/**
 * The parts of one streamed {@code chat.completion.chunk} event (or {@code text_completion}, from the
 * completions endpoint) that the client reads: the first
 * choice's piece of the answer and finish reason, the usage and an error. It is read token by token
 * and everything else (ids, timestamps, log-probabilities, fields a server adds) is skipped, not
 * built into a tree or buffered: this runs for every token of every answer.
 *
 * @param content      the answer's next piece; empty when this event carries none
 * @param finishReason why the answer ended, when this event says it did
 * @param usage        the call's token counts, when this event carries them
 * @param errorMessage set when the server reports an error in the middle of a stream
 */
record CompletionChunk(String content, String finishReason, Outcome.Usage usage, String errorMessage) {

    /** Jackson's streaming parser alone: a mapper's parser also sets up a deserialization context for every event, never used here. */
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Parses the UTF-8 JSON in {@code utf8[offset, offset + length)}.
     *
     * @throws tools.jackson.core.JacksonException when the event is not JSON of this shape
     */
    static CompletionChunk parse(byte[] utf8, int offset, int length) {
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), utf8, offset, length)) {
            JsonToken start = json.nextToken();
            expect(json, start, JsonToken.START_OBJECT); // never null
            Builder chunk = new Builder();
            readObject(json, start, (name, value) -> {
                switch (name) {
                    case "choices" -> chunk.choices(json, value);
                    case "usage" -> chunk.usage(json, value);
                    case "error" -> chunk.error(json, value);
                    default -> json.skipChildren();
                }
            });
            return chunk.build();
        }
    }

    boolean failed() {
        return errorMessage != null;
    }

    /** The fields as they are read. */
    private static final class Builder {
        String content = "";
        String finishReason;
        Outcome.Usage usage;
        String errorMessage;
        int promptTokens;
        int completionTokens;
        int totalTokens;

        /** The first choice counts; a server streaming one answer sends one. */
        void choices(JsonParser json, JsonToken value) {
            if (value == JsonToken.VALUE_NULL) {
                return;
            }
            expect(json, value, JsonToken.START_ARRAY);
            boolean first = true;
            for (JsonToken element = json.nextToken(); element != JsonToken.END_ARRAY; element = json.nextToken()) {
                if (first) {
                    readObject(json, element, (name, field) -> {
                        switch (name) {
                            case "delta" -> readObject(json, field, (key, token) -> delta(json, key, token));
                            case "text" -> content(json, field);
                            case "finish_reason" -> finishReason = string(json, field);
                            default -> json.skipChildren();
                        }
                    });
                    first = false;
                } else {
                    expect(json, element, JsonToken.START_OBJECT);
                    json.skipChildren();
                }
            }
        }

        private void delta(JsonParser json, String name, JsonToken value) {
            if (name.equals("content")) {
                content(json, value);
            } else {
                json.skipChildren();
            }
        }

        /** A chat chunk's {@code delta.content}, a text completion chunk's {@code text}. */
        private void content(JsonParser json, JsonToken value) {
            String text = string(json, value);
            content = text == null ? "" : text;
        }

        void usage(JsonParser json, JsonToken value) {
            if (readObject(json, value, (name, field) -> {
                switch (name) {
                    case "prompt_tokens" -> promptTokens = count(json, field);
                    case "completion_tokens" -> completionTokens = count(json, field);
                    case "total_tokens" -> totalTokens = count(json, field);
                    default -> json.skipChildren();
                }
            })) {
                usage = new Outcome.Usage(promptTokens, completionTokens, totalTokens);
            }
        }

        /** An error object's message (vLLM's and OpenAI's shape), or an error given as a bare string. */
        void error(JsonParser json, JsonToken value) {
            switch (value) {
                case VALUE_NULL -> { }
                case VALUE_STRING -> errorMessage = json.getString();
                case START_OBJECT -> {
                    errorMessage = "";
                    readObject(json, value, (name, field) -> {
                        if (name.equals("message") && field == JsonToken.VALUE_STRING) {
                            errorMessage = json.getString();
                        } else {
                            json.skipChildren();
                        }
                    });
                }
                default -> {
                    errorMessage = "";
                    json.skipChildren();
                }
            }
        }

        CompletionChunk build() {
            return new CompletionChunk(content, finishReason, usage, errorMessage);
        }
    }

    /** Reads one field's value, the parser on its first token; skips what it does not read. */
    private interface FieldReader {
        void read(String name, JsonToken value);
    }

    /** Hands each field of the object starting at {@code value} to {@code field}; false, reading nothing, when the value is null. */
    private static boolean readObject(JsonParser json, JsonToken value, FieldReader field) {
        if (value == JsonToken.VALUE_NULL) {
            return false;
        }
        expect(json, value, JsonToken.START_OBJECT);
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = json.currentName();
            field.read(name, json.nextToken());
        }
        return true;
    }

    private static String string(JsonParser json, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(json, value, JsonToken.VALUE_STRING);
        return json.getString();
    }

    private static int count(JsonParser json, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) {
            return 0;
        }
        expect(json, value, JsonToken.VALUE_NUMBER_INT);
        return json.getIntValue();
    }

    private static void expect(JsonParser json, JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new StreamReadException(json, "expected " + expected + " but found " + actual);
        }
    }
}
