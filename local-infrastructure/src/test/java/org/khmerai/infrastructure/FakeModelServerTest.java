package org.khmerai.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeModelServerTest {

    private static final String QUESTION = "{\"model\":\"sea-lion-v3\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"សួស្តី\"}]}";

    private final FakeModelServer server = FakeModelServer.serving("sea-lion-v3");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    @Test
    void streamsTheAnswerAsVllmFramesIt() throws Exception {
        server.tokens = List.of("សួស្តី", " \"ខ្ញុំ\"");

        HttpResponse<Stream<String>> answer = http.send(chat(), HttpResponse.BodyHandlers.ofLines());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(answer.headers().firstValue("transfer-encoding")).hasValue("chunked");
        List<String> data = answer.body().filter(line -> !line.isEmpty()).toList();
        assertThat(data).hasSize(6).allMatch(line -> line.startsWith("data: "));
        assertThat(data.get(0)).contains("\"delta\":{\"role\":\"assistant\",\"content\":\"\"}");
        assertThat(data.get(1)).contains("\"delta\":{\"content\":\"សួស្តី\"}");
        assertThat(data.get(2)).contains("\"delta\":{\"content\":\" \\\"ខ្ញុំ\\\"\"}");
        assertThat(data.get(3)).contains("\"finish_reason\":\"stop\"");
        assertThat(data.get(4)).contains("\"usage\":{\"prompt_tokens\":" + QUESTION.length() / 4
                        + ",").contains("\"completion_tokens\":2}");
        assertThat(data.get(5)).isEqualTo("data: [DONE]");
        assertThat(server.received()).containsExactly(QUESTION);
    }

    @Test
    void waitsTheFirstTokenDelayAndEachTokensDelay() throws Exception {
        server.tokens = List.of("ក", "ខ", "គ");
        server.firstTokenDelay = Duration.ofMillis(200);
        server.perToken = Duration.ofMillis(100);

        long started = System.nanoTime();
        http.send(chat(), HttpResponse.BodyHandlers.ofString());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void callsOnOneConnectionAreCountedAsOne() throws Exception {
        for (int call = 0; call < 3; call++) {
            http.send(chat(), HttpResponse.BodyHandlers.ofString());
        }
        try (HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            other.send(chat(), HttpResponse.BodyHandlers.ofString());
        }

        assertThat(server.requests).hasValue(4);
        assertThat(server.connectionsUsed()).isEqualTo(2);
    }

    @Test
    void misbehavesOnDemand() throws Exception {
        server.behaviour = FakeModelServer.Behaviour.TOO_MANY_REQUESTS;
        assertThat(http.send(chat(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(429);

        server.behaviour = FakeModelServer.Behaviour.CUT_BEFORE_FINAL;
        String cut = http.send(chat(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(cut).contains("\"content\":\"។\"").doesNotContain("finish_reason\":\"stop").doesNotContain("[DONE]");

        server.behaviour = FakeModelServer.Behaviour.INVALID_JSON;
        assertThat(http.send(chat(), HttpResponse.BodyHandlers.ofString()).body()).endsWith("data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":\n\n");
    }

    @Test
    void noticesAClientThatGoesAwayMidStream() throws Exception {
        server.behaviour = FakeModelServer.Behaviour.HANG;
        HttpResponse<InputStream> hung = http.send(chat(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(new String(hung.body().readNBytes(14), StandardCharsets.UTF_8)).isEqualTo(": keep-alive\n\n");
        assertThat(server.clientGone.getCount()).isEqualTo(1);

        hung.body().close();

        assertThat(server.clientGone.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void listsItsModel() throws IOException, InterruptedException {
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(server.url().resolve("/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.body()).contains("\"id\":\"sea-lion-v3\"");
        assertThat(http.send(HttpRequest.newBuilder(server.url().resolve("/v2/other")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
    }

    private HttpRequest chat() {
        return HttpRequest.newBuilder(URI.create(server.url() + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(QUESTION)).build();
    }
}
