package org.khmerai.policy;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code khmer-ai.policy.*}: how the ministries' rules travel from the audit service to the services
 * that enforce them on calls, over the Kafka of {@code khmer-ai.audit.bootstrap-servers}.
 *
 * @param topic        {@value PolicyTopic#NAME} by default
 * @param readyTimeout how long a call waits, while a service starts, for the rules to be read before it is refused
 */
@ConfigurationProperties("khmer-ai.policy")
public record PolicyProperties(@DefaultValue(PolicyTopic.NAME) String topic, @DefaultValue("10s") Duration readyTimeout) {
}
