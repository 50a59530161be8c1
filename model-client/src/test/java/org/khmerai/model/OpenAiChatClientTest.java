package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.FakeModelServer;

class OpenAiChatClientTest {

    private static final ChatCompletion HELLO = new ChatCompletion(List.of(new ChatCompletion.Message("user", "សួស្តី")),
            Optional.empty(), Optional.empty(), 16, List.of());

    private final OpenAiChatClient client = new OpenAiChatClient();
    private final FakeModelServer server = FakeModelServer.serving("sea-lion-v3");
    private final ModelServer sealion = new ModelServer("sealion", "vllm", server.url(), "sea-lion-v3", null, List.of());

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aFinishedCallLeavesNoTimerBehind() {
        for (int call = 0; call < 3; call++) {
            assertThat(stream()).isInstanceOf(Outcome.Finished.class);
        }

        // each call's first-token timer and ten-minute deadline are gone with it, not queued until due
        assertThat(client.queuedTimers()).isZero();
    }

    @Test
    void finishedCallsShareOneConnection() {
        server.bodyEndDelay = Duration.ofMillis(20);

        for (int call = 0; call < 5; call++) {
            assertThat(stream()).isInstanceOf(Outcome.Finished.class);
        }

        // each answer is read to the end of its body, which comes a moment after [DONE]: a body closed
        // at [DONE] costs the next call a new connection
        assertThat(server.requests).hasValue(5);
        assertThat(server.connectionsUsed()).isEqualTo(1);
    }

    @Test
    void aBodyThatDoesNotEndAfterItsLastEventDelaysNoAnswer() {
        server.bodyEndDelay = Duration.ofSeconds(30);

        for (int call = 0; call < 2; call++) {
            long started = System.nanoTime();
            assertThat(stream()).isInstanceOf(Outcome.Finished.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(OpenAiChatClient.BODY_END_WAIT.plusSeconds(2));
        }

        // the connection whose body did not end is dropped, and the next call gets a new one
        assertThat(server.connectionsUsed()).isEqualTo(2);
    }

    private Outcome stream() {
        return client.exchange().stream(sealion, HELLO, Instant.now().plusSeconds(30), Instant.now().plusSeconds(600), delta -> { });
    }
}
