package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;

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
}
