package org.khmerai.platform.audit;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.khmerai.audit.v1.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends audit events to Kafka, keyed by tenant so that one ministry's events stay in order.
 * The producer is idempotent and waits for all in-sync replicas ({@code acks=all}), so an event
 * the broker acknowledged is neither lost nor duplicated by a retry.
 */
public final class AuditPublisher implements AutoCloseable {

    public static final String TOPIC = "audit.events.v1";

    private static final Logger log = LoggerFactory.getLogger(AuditPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;

    public AuditPublisher(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * @param bootstrapServers the Kafka brokers
     * @param maxBlock         how long a call may wait for Kafka metadata before its event is given up
     */
    public static AuditPublisher connect(String bootstrapServers, String topic, Duration maxBlock) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis(),
                ProducerConfig.CLIENT_ID_CONFIG, "audit-publisher");
        return new AuditPublisher(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()), topic);
    }

    public void publish(AuditEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.getTenant(), event.toByteArray()), (metadata, failure) -> {
                if (failure != null) {
                    log.error("audit event {} of {} was not delivered: {}", event.getId(), event.getMethod(), failure.toString());
                }
            });
        } catch (RuntimeException e) {
            log.error("audit event {} of {} was not sent: {}", event.getId(), event.getMethod(), e.toString());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
