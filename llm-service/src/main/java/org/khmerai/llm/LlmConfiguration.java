package org.khmerai.llm;

import java.time.Clock;
import org.khmerai.model.ModelRouter;
import org.khmerai.model.ModelServerHealth;
import org.khmerai.model.OpenAiChatClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LlmConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    OpenAiChatClient openAiChatClient() {
        return new OpenAiChatClient();
    }

    @Bean
    ModelServerHealth modelServerHealth(LlmProperties properties, OpenAiChatClient client, Clock clock) {
        return new ModelServerHealth(properties.servers(), client, clock).every(properties.healthCheckInterval());
    }

    @Bean
    ModelRouter modelRouter(LlmProperties properties, OpenAiChatClient client, ModelServerHealth health, Clock clock) {
        return new ModelRouter(properties.servers(), properties.routing(), client, health, clock);
    }
}
