package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class CompletionChunkTest {

    @Test
    void aTokenEventAsVllmSendsIt() {
        CompletionChunk chunk = parse("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732350000,"
                + "\"model\":\"sea-lion-v3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"សួស្តី\"},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":null}");

        assertThat(chunk.content()).isEqualTo("សួស្តី");
        assertThat(chunk.finishReason()).isNull();
        assertThat(chunk.usage()).isNull();
        assertThat(chunk.failed()).isFalse();
    }

    @Test
    void aTokenEventOfTheCompletionsEndpoint() {
        CompletionChunk chunk = parse("{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1732350000,"
                + "\"model\":\"madlad\",\"choices\":[{\"index\":0,\"text\":\" Ministry\",\"logprobs\":null,"
                + "\"finish_reason\":null,\"stop_reason\":null}],\"usage\":null}");

        assertThat(chunk.content()).isEqualTo(" Ministry");
        assertThat(chunk.finishReason()).isNull();
        assertThat(parse("{\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"stop\"}]}").finishReason()).isEqualTo("stop");
    }

    @Test
    void theFinishAndUsageEvents() {
        CompletionChunk finish = parse("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\","
                + "\"stop_reason\":null}],\"usage\":null}");
        CompletionChunk usage = parse("{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"total_tokens\":19,"
                + "\"completion_tokens\":7}}");

        assertThat(finish.content()).isEmpty();
        assertThat(finish.usage()).isNull();
        assertThat(finish.finishReason()).isEqualTo("length");
        assertThat(usage.content()).isEmpty();
        assertThat(usage.usage()).isEqualTo(new Outcome.Usage(12, 7, 19));
    }

    @Test
    void anErrorReportedInTheStream() {
        CompletionChunk chunk = parse("{\"error\":{\"object\":\"error\",\"message\":\"CUDA out of memory\",\"code\":500}}");

        assertThat(chunk.failed()).isTrue();
        assertThat(chunk.errorMessage()).isEqualTo("CUDA out of memory");
    }

    @Test
    void anErrorGivenAsABareStringOrWithoutMessage() {
        assertThat(parse("{\"error\":\"model not loaded\"}").errorMessage()).isEqualTo("model not loaded");
        assertThat(parse("{\"error\":{\"code\":503}}").errorMessage()).isEmpty();
        assertThat(parse("{\"error\":null,\"choices\":[]}").failed()).isFalse();
    }

    @Test
    void fieldsAServerAddsAreSkippedWhateverTheirShape() {
        CompletionChunk chunk = parse("{\"prompt_logprobs\":[[{\"a\":1}],null],\"choices\":[{\"delta\":{\"role\":\"assistant\","
                + "\"tool_calls\":[],\"content\":\"ក\",\"reasoning_content\":{\"x\":[1,2]}},\"logprobs\":{\"content\":[]},"
                + "\"finish_reason\":null},{\"delta\":{\"content\":\"second choice\"}}],\"kv_transfer_params\":{\"a\":{\"b\":[]}}}");

        assertThat(chunk.content()).isEqualTo("ក");
        assertThat(chunk.failed()).isFalse();
    }

    @Test
    void anEventOfAnotherShapeIsRefused() {
        assertThatThrownBy(() -> parse("{\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> parse("{\"choices\":{\"delta\":1}}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> parse("{\"choices\":[{\"delta\":{\"content\":7}}]}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> parse("{\"choices\":[{},1]}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> parse("{\"usage\":{\"prompt_tokens\":\"12\"}}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> parse("[\"choices\"]")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> parse("")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> parse("null")).isInstanceOf(JacksonException.class);
    }

    private static CompletionChunk parse(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        return CompletionChunk.parse(utf8, 0, utf8.length);
    }
}
