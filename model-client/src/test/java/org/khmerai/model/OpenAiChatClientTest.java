package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.FakeModelServer;

class OpenAiChatClientTest {

    @Test
    void aFinishedCallLeavesNoTimerBehind() {
        OpenAiChatClient client = new OpenAiChatClient();
        ChatCompletion hello = new ChatCompletion(List.of(new ChatCompletion.Message("user", "សួស្តី")),
                Optional.empty(), Optional.empty(), 16, List.of());
        try (FakeModelServer server = FakeModelServer.serving("sea-lion-v3")) {
            ModelServer sealion = new ModelServer("sealion", "vllm", server.url(), "sea-lion-v3", null, List.of());

            for (int call = 0; call < 3; call++) {
                Outcome outcome = client.exchange().stream(sealion, hello, Instant.now().plusSeconds(30), Instant.now().plusSeconds(600),
                        delta -> { });
                assertThat(outcome).isInstanceOf(Outcome.Finished.class);
            }

            // each call's first-token timer and ten-minute deadline are gone with it, not queued until due
            assertThat(client.queuedTimers()).isZero();
        }
    }

    private static final ChatCompletion HELLO = new ChatCompletion(List.of(new ChatCompletion.Message("user", "សួស្តី")),
            Optional.empty(), Optional.empty(), 16, List.of());

    @Test
    void finishedCallsShareOneConnection() {
        OpenAiChatClient client = new OpenAiChatClient();
        try (FakeModelServer server = FakeModelServer.serving("sea-lion-v3")) {
            server.bodyEndDelay = Duration.ofMillis(20);
            ModelServer sealion = new ModelServer("sealion", "vllm", server.url(), "sea-lion-v3", null, List.of());

            for (int call = 0; call < 5; call++) {
                assertThat(stream(client, sealion)).isInstanceOf(Outcome.Finished.class);
            }

            // each answer is read to the end of its body, which comes a moment after [DONE]: a body closed
            // at [DONE] costs the next call a new connection
            assertThat(server.requests).hasValue(5);
            assertThat(server.connectionsUsed()).isEqualTo(1);
        }
    }

    @Test
    void aBodyThatDoesNotEndAfterItsLastEventDelaysNoAnswer() {
        OpenAiChatClient client = new OpenAiChatClient();
        try (FakeModelServer server = FakeModelServer.serving("sea-lion-v3")) {
            server.bodyEndDelay = Duration.ofSeconds(30);
            ModelServer sealion = new ModelServer("sealion", "vllm", server.url(), "sea-lion-v3", null, List.of());

            for (int call = 0; call < 2; call++) {
                long started = System.nanoTime();
                assertThat(stream(client, sealion)).isInstanceOf(Outcome.Finished.class);
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .isLessThan(OpenAiChatClient.BODY_END_WAIT.plusSeconds(2));
            }

            // the connection whose body did not end is dropped, and the next call gets a new one
            assertThat(server.connectionsUsed()).isEqualTo(2);
        }
    }

    private static Outcome stream(OpenAiChatClient client, ModelServer server) {
        return client.exchange().stream(server, HELLO, Instant.now().plusSeconds(30), Instant.now().plusSeconds(600), delta -> { });
    }
}
