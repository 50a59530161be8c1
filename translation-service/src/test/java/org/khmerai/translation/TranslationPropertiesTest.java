package org.khmerai.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.khmerai.model.ModelServer;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The translation servers' settings as they load: a translation model of the completions API beside a chat model. */
class TranslationPropertiesTest {

    @Test
    void aServerOfTheCompletionsApiIsBoundWithItsPromptTemplate() {
        TranslationProperties properties = bind(Map.of("servers[0].api", "completions", "servers[0].prompt-template", "<2{target}> {text}",
                "servers[1].alias", "translate", "servers[1].name", "sealion", "servers[1].url", "http://10.0.0.7:8000",
                "servers[1].model", "sea-lion-v3"));

        assertThat(properties.servers()).extracting(ModelServer::api).containsExactly(ModelServer.Api.COMPLETIONS, ModelServer.Api.CHAT);
        assertThat(properties.servers().getFirst().promptTemplate()).isEqualTo("<2{target}> {text}");
    }

    @Test
    void aTemplateWithoutTheSentenceOrWithAPlaceTranslationDoesNotFillIsRefused() {
        assertThatThrownBy(() -> bind(Map.of("servers[0].api", "completions", "servers[0].prompt-template", "<2{target}>")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("madlad-gpu").hasMessageContaining("{text}");
        assertThatThrownBy(() -> bind(Map.of("servers[0].api", "completions", "servers[0].prompt-template", "{lang}: {text}")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("[lang, text]");
        assertThatThrownBy(() -> bind(Map.of("servers[0].api", "completions")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("needs a prompt-template");
    }

    @Test
    void proposalsAreKeptThirtyDaysUnlessSetOtherwiseAndNeverANegativeTime() {
        assertThat(bind(Map.of()).proposalRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(bind(Map.of("proposal-retention", "0")).proposalRetention()).isZero();
        assertThatThrownBy(() -> bind(Map.of("proposal-retention", "-1d")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("proposal-retention is PT-24H");
    }

    /** {@code khmer-ai.translation} with a server madlad-gpu of alias translate, under {@code settings}. */
    private static TranslationProperties bind(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("servers[0].alias", "translate", "servers[0].name", "madlad-gpu",
                "servers[0].url", "http://10.0.0.8:8000", "servers[0].model", "google/madlad400-3b-mt"));
        all.putAll(settings);
        Map<String, String> prefixed = new HashMap<>();
        all.forEach((key, value) -> prefixed.put("khmer-ai.translation." + key, value));
        return new Binder(new MapConfigurationPropertySource(prefixed)).bind("khmer-ai.translation", TranslationProperties.class).get();
    }
}
