package org.khmerai.translation;

import java.time.Clock;
import org.khmerai.model.ModelRouter;
import org.khmerai.model.ModelServerHealth;
import org.khmerai.model.OpenAiChatClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@ConfigurationPropertiesScan
public class TranslationApplication {

    public static void main(String[] args) {
        SpringApplication.run(TranslationApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    OpenAiChatClient openAiChatClient() {
        return new OpenAiChatClient();
    }

    @Bean
    ModelServerHealth modelServerHealth(TranslationProperties properties, OpenAiChatClient client, Clock clock) {
        return new ModelServerHealth(properties.servers(), client, clock).every(properties.healthCheckInterval());
    }

    @Bean
    ModelRouter modelRouter(TranslationProperties properties, OpenAiChatClient client, ModelServerHealth health, Clock clock) {
        return new ModelRouter(properties.servers(), properties.routing(), client, health, clock);
    }
}
