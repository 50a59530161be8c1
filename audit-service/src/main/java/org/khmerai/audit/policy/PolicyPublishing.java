package org.khmerai.audit.policy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.khmerai.platform.boot.PeriodicTask;
import org.khmerai.platform.boot.PlatformAuditProperties;
import org.khmerai.policy.PolicyProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The schedule on which the ministries' changed rules are published for the services that enforce them on calls. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PolicyProperties.class)
public class PolicyPublishing {

    /** How long a saved rule may wait before the services enforce it, at most (plus Kafka's own delivery). */
    static final Duration EVERY = Duration.ofSeconds(1);

    @Bean(destroyMethod = "close")
    Producer<String, byte[]> policyProducer(PlatformAuditProperties audit) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, audit.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "audit-policies"), new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    SmartLifecycle policyPublication(PolicyStore store, Producer<String, byte[]> policyProducer, PlatformAuditProperties audit,
                                     PolicyProperties policy) {
        PolicyPublisher publisher = new PolicyPublisher(store, policyProducer, audit.bootstrapServers(), policy.topic());
        return new PeriodicTask("policy-publication", EVERY, publisher::publishChanges);
    }
}
