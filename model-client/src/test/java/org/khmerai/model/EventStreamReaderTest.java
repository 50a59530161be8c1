package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamReaderTest {

    @Test
    void readsTheDataFieldsAndSkipsEverythingElse() throws IOException {
        String stream = """
                : a comment
                event: message
                data: {"choices":[{"delta":{"content":"សួស្តី"}}]}

                data:{"choices":[]}\t

                id: 7
                data: [DONE]

                """;

        assertThat(dataOf(stream, Integer.MAX_VALUE)).containsExactly(
                "{\"choices\":[{\"delta\":{\"content\":\"សួស្តី\"}}]}", "{\"choices\":[]}", "[DONE]");
    }

    @Test
    void linesMayEndWithCrLfOrCrAndTheLastLineNeedsNoEnd() throws IOException {
        assertThat(dataOf("data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d", Integer.MAX_VALUE))
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void anEventSplitAcrossReadsIsReadWhole() throws IOException {
        String khmer = "ព្រះរាជាណាចក្រកម្ពុជា".repeat(40); // longer than the first buffer, and multi-byte characters cut anywhere
        String stream = "data: {\"content\":\"" + khmer + "\"}\r\n\r\ndata: [DONE]\r\n\r\n";

        for (int chunk : new int[] {1, 2, 3, 7, 500}) {
            assertThat(dataOf(stream, chunk)).containsExactly("{\"content\":\"" + khmer + "\"}", "[DONE]");
        }
    }

    @Test
    void knowsTheEndOfTheStream() throws IOException {
        List<Boolean> done = new ArrayList<>();
        new EventStreamReader().read(Unpooled.copiedBuffer("data:  [DONE] \n", StandardCharsets.UTF_8),
                data -> done.addAll(List.of(data.is("[DONE]"), data.is("[DONE"))));

        assertThat(done).containsExactly(true, false);
        assertThat(dataOf("", 100)).isEmpty();
        assertThat(dataOf("\n\n: only comments\n", 100)).isEmpty();
    }

    @Test
    void refusesALineWithoutEnd() {
        EventStreamReader reader = new EventStreamReader();
        byte[] noEnd = new byte[64 * 1024];
        Arrays.fill(noEnd, (byte) 'x');

        assertThatThrownBy(() -> {
            for (int read = 0; read <= EventStreamReader.MAX_LINE / noEnd.length; read++) {
                reader.read(Unpooled.wrappedBuffer(noEnd), data -> { });
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("longer than " + EventStreamReader.MAX_LINE);
    }

    /** The data fields of {@code stream}, handed to the reader at most {@code chunk} bytes at a time, as a socket might. */
    private static List<String> dataOf(String stream, int chunk) throws IOException {
        List<String> data = new ArrayList<>();
        EventStreamReader reader = new EventStreamReader();
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int from = 0; from < bytes.length; from += chunk) {
            reader.read(Unpooled.wrappedBuffer(bytes, from, Math.min(chunk, bytes.length - from)), next -> data.add(next.text()));
        }
        reader.end(next -> data.add(next.text()));
        return data;
    }
}
