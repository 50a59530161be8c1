package org.khmerai.translation;

import java.time.Clock;
import org.khmerai.model.ModelRouter;
import org.khmerai.policy.PolicyEnforcement;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@ConfigurationPropertiesScan
@Import(PolicyEnforcement.class)
public class TranslationApplication {

    public static void main(String[] args) {
        SpringApplication.run(TranslationApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ModelRouter modelRouter(TranslationProperties properties, Clock clock) {
        return ModelRouter.checked(properties.servers(), properties.routing(), properties.healthCheckInterval(), clock);
    }
}
