package org.khmerai.model;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of one streamed {@code chat.completion.chunk} event that the client reads: the first
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

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Parses the UTF-8 JSON in {@code utf8[offset, offset + length)}.
     *
     * @throws tools.jackson.core.JacksonException when the event is not JSON of this shape
     */
    static CompletionChunk parse(byte[] utf8, int offset, int length) {
        try (JsonParser json = JSON.createParser(utf8, offset, length)) {
            expect(json, json.nextToken(), JsonToken.START_OBJECT);
            Builder chunk = new Builder();
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                switch (name) {
                    case "choices" -> chunk.choices(json, value);
                    case "usage" -> chunk.usage(json, value);
                    case "error" -> chunk.error(json, value);
                    default -> json.skipChildren();
                }
            }
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

        /** The first choice counts; a server streaming one answer sends one. */
        void choices(JsonParser json, JsonToken value) {
            if (value == JsonToken.VALUE_NULL) {
                return;
            }
            expect(json, value, JsonToken.START_ARRAY);
            boolean first = true;
            for (JsonToken element = json.nextToken(); element != JsonToken.END_ARRAY; element = json.nextToken()) {
                if (first) {
                    choice(json, element);
                    first = false;
                } else {
                    expect(json, element, JsonToken.START_OBJECT);
                    json.skipChildren();
                }
            }
        }

        private void choice(JsonParser json, JsonToken value) {
            expect(json, value, JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = json.currentName();
                JsonToken field = json.nextToken();
                switch (name) {
                    case "delta" -> delta(json, field);
                    case "finish_reason" -> finishReason = string(json, field);
                    default -> json.skipChildren();
                }
            }
        }

        private void delta(JsonParser json, JsonToken value) {
            if (value == JsonToken.VALUE_NULL) {
                return;
            }
            expect(json, value, JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = json.currentName();
                JsonToken field = json.nextToken();
                if (name.equals("content")) {
                    String text = string(json, field);
                    content = text == null ? "" : text;
                } else {
                    json.skipChildren();
                }
            }
        }

        void usage(JsonParser json, JsonToken value) {
            if (value == JsonToken.VALUE_NULL) {
                return;
            }
            expect(json, value, JsonToken.START_OBJECT);
            int prompt = 0;
            int completion = 0;
            int total = 0;
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = json.currentName();
                JsonToken field = json.nextToken();
                switch (name) {
                    case "prompt_tokens" -> prompt = count(json, field);
                    case "completion_tokens" -> completion = count(json, field);
                    case "total_tokens" -> total = count(json, field);
                    default -> json.skipChildren();
                }
            }
            usage = new Outcome.Usage(prompt, completion, total);
        }

        /** An error object's message (vLLM's and OpenAI's shape), or an error given as a bare string. */
        void error(JsonParser json, JsonToken value) {
            switch (value) {
                case VALUE_NULL -> { }
                case VALUE_STRING -> errorMessage = json.getString();
                case START_OBJECT -> {
                    errorMessage = "";
                    while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                        String name = json.currentName();
                        JsonToken field = json.nextToken();
                        if (name.equals("message") && field == JsonToken.VALUE_STRING) {
                            errorMessage = json.getString();
                        } else {
                            json.skipChildren();
                        }
                    }
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
