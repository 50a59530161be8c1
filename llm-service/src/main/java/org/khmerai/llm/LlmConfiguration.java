package org.khmerai.llm;

import java.time.Clock;
import org.khmerai.llm.backend.LlmProperties;
import org.khmerai.llm.backend.ModelRouter;
import org.khmerai.llm.backend.OpenAiChatClient;
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
        return new ModelRouter(properties, new OpenAiChatClient(), clock);
    }
}
