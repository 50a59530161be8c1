package org.khmerai.translation;

import java.time.Clock;
import java.time.Duration;
import org.khmerai.model.ModelRouter;
import org.khmerai.platform.boot.PeriodicTask;
import org.khmerai.policy.PolicyEnforcement;
import org.khmerai.translation.resources.MemoryProposals;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@ConfigurationPropertiesScan
@Import(PolicyEnforcement.class)
public class TranslationApplication {

    private static final Duration PROPOSAL_EXPIRY_EVERY = Duration.ofHours(1);

    public static void main(String[] args) {
        SpringApplication.run(TranslationApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Proposals for the memory that nobody approved or removed within {@code proposal-retention} are deleted, hourly. */
    @Bean
    SmartLifecycle proposalExpiry(TranslationProperties properties, MemoryProposals proposals, Clock clock) {
        return new PeriodicTask("proposal-expiry", PROPOSAL_EXPIRY_EVERY, () -> {
            if (!properties.proposalRetention().isZero()) {
                proposals.expireBefore(clock.instant().minus(properties.proposalRetention()));
            }
        });
    }

    @Bean
    ModelRouter modelRouter(TranslationProperties properties, Clock clock) {
        return ModelRouter.checked(properties.servers(), properties.routing(), properties.healthCheckInterval(), clock);
    }
}
