package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
        EventStreamReader.Data done = new EventStreamReader(input("data:  [DONE] \n", 100)).next();

        assertThat(done.is("[DONE]")).isTrue();
        assertThat(done.is("[DONE")).isFalse();
        assertThat(dataOf("", 100)).isEmpty();
        assertThat(dataOf("\n\n: only comments\n", 100)).isEmpty();
    }

    @Test
    void refusesALineWithoutEnd() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };

        assertThatThrownBy(() -> new EventStreamReader(endless).next())
                .isInstanceOf(IOException.class).hasMessageContaining("longer than " + EventStreamReader.MAX_LINE);
    }

    private static List<String> dataOf(String stream, int chunk) throws IOException {
        List<String> data = new ArrayList<>();
        try (EventStreamReader reader = new EventStreamReader(input(stream, chunk))) {
            EventStreamReader.Data next;
            while ((next = reader.next()) != null) {
                data.add(next.text());
            }
        }
        return data;
    }

    /** The stream, handed out at most {@code chunk} bytes a read, as a socket might. */
    private static InputStream input(String stream, int chunk) {
        return new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }
}
