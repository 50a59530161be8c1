package org.khmerai.platform.boot;

import java.time.Duration;
import org.khmerai.audit.v1.Edge;
import org.khmerai.platform.audit.AuditPublisher;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code khmer-ai.audit.*}: where this component sends its audit events and how it names itself in them.
 *
 * @param bootstrapServers Kafka, {@code 127.0.0.1:9092} by default
 * @param topic            {@value AuditPublisher#TOPIC} by default
 * @param service          the component's name in the events: "segmentation", "gateway"...;
 *                         {@code spring.application.name} when absent
 * @param edge             SERVICE for services, GRPC for the gateway's gRPC edge
 * @param maxBlock         how long a call may wait for Kafka metadata
 */
@ConfigurationProperties("khmer-ai.audit")
public record PlatformAuditProperties(
        @DefaultValue("127.0.0.1:9092") String bootstrapServers,
        @DefaultValue(AuditPublisher.TOPIC) String topic,
        String service,
        @DefaultValue("EDGE_SERVICE") Edge edge,
        @DefaultValue("2s") Duration maxBlock) {
}
