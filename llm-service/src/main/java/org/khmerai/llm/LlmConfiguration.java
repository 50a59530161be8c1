package org.khmerai.llm;

import java.time.Clock;
import org.khmerai.model.ModelRouter;
import org.khmerai.policy.PolicyEnforcement;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

@Configuration(proxyBeanMethods = false)
@Import(PolicyEnforcement.class)
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
