package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.FakeModelServer;
import org.khmerai.infrastructure.FreePorts;

class ModelServerHealthTest {

    private final FakeModelServer vllm = FakeModelServer.serving("sea-lion-v3");
    private final FakeModelServer other = FakeModelServer.serving("sea-lion-v3");
    private final OpenAiChatClient client = new OpenAiChatClient();
    private final ChatCompletion hello = new ChatCompletion(List.of(new ChatCompletion.Message("user", "សួស្តី")),
            Optional.empty(), Optional.empty(), 16, List.of());

    @AfterEach
    void stop() {
        vllm.close();
        other.close();
        client.close();
    }

    @Test
    void aServerThatIsUnreachableOrDoesNotServeItsModelIsDownWithTheReason() {
        ModelServer wrongModel = ModelServer.chat("sealion", "wrong-model", vllm.url(), "llama-3", null, List.of());
        ModelServer unreachable = ModelServer.chat("sealion", "gone", URI.create("http://127.0.0.1:" + FreePorts.free()),
                "sea-lion-v3", null, List.of());
        ModelServer well = ModelServer.chat("sealion", "well", other.url(), "sea-lion-v3", null, List.of());
        ModelServerHealth health = new ModelServerHealth(List.of(wrongModel, unreachable, well), client, Clock.systemUTC());
        assertThat(health.isUp(wrongModel)).as("not checked yet").isTrue();

        health.checkAll();

        assertThat(health.lastCheck(wrongModel).orElseThrow()).satisfies(check -> {
            assertThat(check.up()).isFalse();
            assertThat(check.detail()).contains("does not serve llama-3").contains("sea-lion-v3");
        });
        assertThat(health.lastCheck(unreachable).orElseThrow()).satisfies(check -> {
            assertThat(check.up()).isFalse();
            assertThat(check.detail()).contains("GET /v1/models failed");
        });
        assertThat(health.isUp(well)).isTrue();
    }

    @Test
    void callsGoFirstToTheServersFoundWellAndADownServerIsStillALastResort() {
        ModelServer first = ModelServer.chat("sealion", "first", vllm.url(), "llama-3", null, List.of()); // listed first, found down
        ModelServer second = ModelServer.chat("sealion", "second", other.url(), "sea-lion-v3", null, List.of());
        ModelServerHealth health = new ModelServerHealth(List.of(first, second), client, Clock.systemUTC());
        health.checkAll();
        ModelRouter router = new ModelRouter(List.of(first, second), new RoutingRules(Duration.ofSeconds(5), 3, 5, Duration.ofSeconds(30)),
                client, health, Clock.systemUTC());

        Outcome served = router.chat("sealion", "health-ministry", hello, Instant.now().plusSeconds(10), delta -> { }, exchange -> { });
        assertThat(served).isInstanceOfSatisfying(Outcome.Finished.class, finished -> assertThat(finished.server()).isEqualTo(second));
        assertThat(vllm.requests.get()).isZero();

        other.behaviour = FakeModelServer.Behaviour.SERVER_ERROR;
        Outcome fellBack = router.chat("sealion", "health-ministry", hello, Instant.now().plusSeconds(10), delta -> { }, exchange -> { });
        assertThat(fellBack).isInstanceOfSatisfying(Outcome.Finished.class, finished -> assertThat(finished.server()).isEqualTo(first));
    }
}
