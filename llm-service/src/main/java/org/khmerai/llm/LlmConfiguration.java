package org.khmerai.llm;

import java.time.Clock;

import org.khmerai.model.ModelRouter;
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
    ModelRouter modelRouter(LlmProperties properties, Clock clock) {
        return new ModelRouter(properties.servers(), properties.routing(), new OpenAiChatClient(), clock);
    }
}
