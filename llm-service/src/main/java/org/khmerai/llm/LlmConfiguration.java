package org.khmerai.llm;

import java.time.Clock;
import org.khmerai.model.ModelRouter;
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
        return ModelRouter.checked(properties.servers(), properties.routing(), properties.healthCheckInterval(), clock);
    }
}
