package org.khmerai.audit.ingest;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.khmerai.platform.boot.PlatformAuditProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Runs the {@link AuditEventConsumer} on its own thread for as long as the application runs. */
@Configuration(proxyBeanMethods = false)
public class IngestConfiguration {

    /**
     * {@code khmer-ai.ingest.*}.
     *
     * @param groupId the Kafka consumer group of all audit-service instances
     */
    @ConfigurationProperties("khmer-ai.ingest")
    public record IngestProperties(@DefaultValue("audit-service") String groupId) {
    }

    @Bean
    SmartLifecycle auditIngest(AuditEventStore store, PlatformAuditProperties audit, IngestProperties ingest) {
        return new SmartLifecycle() {
            private AuditEventConsumer consumer;
            private Thread thread;

            @Override
            public void start() {
                consumer = new AuditEventConsumer(new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, audit.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, ingest.groupId(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000,
                        // an instance that crashed gives its partitions up after this, not the default 45 s
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000), new StringDeserializer(), new ByteArrayDeserializer()),
                        new KafkaProducer<>(Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, audit.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG, "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                                ProducerConfig.CLIENT_ID_CONFIG, "audit-dead-letters"), new StringSerializer(), new ByteArraySerializer()),
                        store, audit.topic());
                thread = Thread.ofPlatform().name("audit-ingest").start(consumer);
            }

            @Override
            public void stop() {
                consumer.stop();
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public boolean isRunning() {
                return thread != null && thread.isAlive();
            }
        };
    }
}
