package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelServerTest {

    @Test
    void aServersUrlIsHttpOrHttpsAndNamesAHost() {
        for (String url : List.of("ftp://gpu-1:8000", "gpu-1:8000", "http:///v1", "file:/models")) {
            assertThatThrownBy(() -> ModelServer.chat("sealion", "gpu-1", URI.create(url), "sea-lion-v3", null, List.of())).as(url)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpu-1").hasMessageContaining(url);
        }

        ModelServer behindAPath = ModelServer.chat("sealion", "gpu-1", URI.create("HTTPS://models.moeys.gov.kh/sealion/"), "sea-lion-v3",
                null, List.of());
        assertThat(behindAPath.answers()).hasToString("HTTPS://models.moeys.gov.kh/sealion/v1/chat/completions");
        assertThat(ModelServer.chat("sealion", "gpu-1", URI.create("http://10.0.0.7:8000"), "sea-lion-v3", null, List.of()).models())
                .hasToString("http://10.0.0.7:8000/v1/models");
    }

    @Test
    void aCompletionsServerFillsItsPromptTemplate() {
        ModelServer madlad = madlad("<2{target}> {text}");

        assertThat(madlad.answers()).hasToString("http://10.0.0.8:8000/v1/completions");
        assertThat(madlad.promptPlaces()).containsExactly("target", "text");
        assertThat(madlad.prompt(Map.of("target", "en", "text", "សួស្តី", "source", "km"))).isEqualTo("<2en> សួស្តី");
        assertThatThrownBy(() -> madlad.prompt(Map.of("text", "សួស្តី")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("madlad").hasMessageContaining("[target]");
    }

    @Test
    void aCompletionsServerNeedsATemplateAndOnlyItHasOne() {
        assertThatThrownBy(() -> madlad(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("madlad").hasMessageContaining("prompt-template");
        assertThatThrownBy(() -> new ModelServer("sealion", "gpu-1", URI.create("http://10.0.0.7:8000"), "sea-lion-v3", null, List.of(),
                ModelServer.Api.CHAT, "<2{target}> {text}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gpu-1").hasMessageContaining("api=completions");
        assertThat(new ModelServer("sealion", "gpu-1", URI.create("http://10.0.0.7:8000"), "sea-lion-v3", null, List.of(), null, null).api())
                .isEqualTo(ModelServer.Api.CHAT);
    }

    @Test
    void itsApiKeyIsNeverPrinted() {
        ModelServer server = ModelServer.chat("sealion", "gpu-1", URI.create("http://10.0.0.7:8000"), "sea-lion-v3", "sk-ministry-secret",
                List.of());

        assertThat(server.toString()).doesNotContain("sk-ministry-secret").contains("apiKey=(set)").contains("gpu-1");
    }

    private static ModelServer madlad(String template) {
        return new ModelServer("madlad", "madlad", URI.create("http://10.0.0.8:8000"), "google/madlad400-3b-mt", null, List.of(),
                ModelServer.Api.COMPLETIONS, template);
    }
}
