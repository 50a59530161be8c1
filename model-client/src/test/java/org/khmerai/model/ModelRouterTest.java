package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.FakeModelServer;

class ModelRouterTest {

    private final FakeModelServer shared = FakeModelServer.serving("sea-lion-v3");
    private final FakeModelServer dedicated = FakeModelServer.serving("sea-lion-v3");
    private final OpenAiChatClient client = new OpenAiChatClient();
    private final ChatCompletion hello = new ChatCompletion(List.of(new ChatCompletion.Message("user", "សួស្តី")),
            Optional.empty(), Optional.empty(), 16, List.of());

    @AfterEach
    void stop() {
        shared.close();
        dedicated.close();
        client.close();
    }

    @Test
    void aMinistrysOwnServerTakesItsCallsFirstAndNoOtherMinistrysCalls() {
        ModelServer everyone = ModelServer.chat("sealion", "shared", shared.url(), "sea-lion-v3", null, List.of());
        ModelServer health = ModelServer.chat("sealion", "health-gpu", dedicated.url(), "sea-lion-v3", null, List.of("health-ministry"));
        List<ModelServer> servers = List.of(everyone, health); // the shared one listed first
        ModelRouter router = new ModelRouter(servers, new RoutingRules(Duration.ofSeconds(5), 3, 5, Duration.ofSeconds(30)), client,
                new ModelServerHealth(servers, client, Clock.systemUTC()), Clock.systemUTC());

        assertThat(servedBy(router, "health-ministry")).isEqualTo("health-gpu");
        assertThat(servedBy(router, "education-ministry")).isEqualTo("shared");
        assertThat(dedicated.requests.get()).isEqualTo(1);

        shared.behaviour = FakeModelServer.Behaviour.SERVER_ERROR; // another ministry never falls back onto a dedicated server
        assertThat(router.chat("sealion", "education-ministry", hello, Instant.now().plusSeconds(10), delta -> { }, exchange -> { }))
                .isInstanceOf(Outcome.Unavailable.class);
        assertThat(dedicated.requests.get()).isEqualTo(1);

        dedicated.behaviour = FakeModelServer.Behaviour.SERVER_ERROR;
        shared.behaviour = FakeModelServer.Behaviour.ANSWER; // the dedicated server failing, its ministry falls back onto the shared one
        assertThat(servedBy(router, "health-ministry")).isEqualTo("shared");
    }

    private String servedBy(ModelRouter router, String tenant) {
        Outcome outcome = router.chat("sealion", tenant, hello, Instant.now().plusSeconds(10), delta -> { }, exchange -> { });
        assertThat(outcome).isInstanceOf(Outcome.Finished.class);
        return ((Outcome.Finished) outcome).server().name();
    }
}
