package org.khmerai.llm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class LlmPropertiesTest {

    @Test
    void aServerOfTheCompletionsApiIsRefusedForConversations() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "khmer-ai.llm.servers[0].alias", "translate", "khmer-ai.llm.servers[0].name", "madlad-gpu",
                "khmer-ai.llm.servers[0].url", "http://10.0.0.8:8000", "khmer-ai.llm.servers[0].model", "google/madlad400-3b-mt",
                "khmer-ai.llm.servers[0].api", "completions", "khmer-ai.llm.servers[0].prompt-template", "<2{target}> {text}")));

        assertThatThrownBy(() -> binder.bind("khmer-ai.llm", LlmProperties.class)).isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("madlad-gpu").hasMessageContaining("chat API");
    }

    @Test
    void aSystemPromptWithAPlaceOtherThanTheDateIsRefused() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "khmer-ai.llm.system-prompts.health", "អ្នកជាជំនួយការរបស់{ministry}។ ថ្ងៃនេះជា{date}។")));

        assertThatThrownBy(() -> binder.bind("khmer-ai.llm", LlmProperties.class)).isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("system-prompts.health").hasMessageContaining("[ministry, date]");
    }
}
