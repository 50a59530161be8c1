package org.khmerai.platform.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.khmerai.audit.v1.Edge;
import org.khmerai.platform.audit.AuditAdmission;
import org.khmerai.platform.audit.AuditPublisher;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code khmer-ai.audit.*}: where this component sends its audit events and how it names itself in them.
 *
 * @param bootstrapServers Kafka, {@code 127.0.0.1:9092} by default
 * @param topic            {@value AuditPublisher#TOPIC} by default
 * @param service          the component's name in the events: "segmentation", "gateway"...;
 *                         {@code spring.application.name} when absent
 * @param edge             SERVICE for services, GRPC for the gateway's gRPC edge
 * @param maxBlock         how long a call may wait for Kafka metadata before its event is spooled
 * @param spoolDir         where events wait on local disk while Kafka cannot take them ({@code SERVICE.spool});
 *                         give it durable storage in a deployment
 * @param spoolMaxSize     the most the spool may hold
 * @param whenSpoolFull    REJECT (503, the default) or SERVE (events lost, counted and logged) while the spool is full
 * @param whenSpoolFullByTenant the same, per ministry
 */
@ConfigurationProperties("khmer-ai.audit")
public record PlatformAuditProperties(
        @DefaultValue("127.0.0.1:9092") String bootstrapServers,
        @DefaultValue(AuditPublisher.TOPIC) String topic,
        String service,
        @DefaultValue("EDGE_SERVICE") Edge edge,
        @DefaultValue("2s") Duration maxBlock,
        @DefaultValue(".khmer-ai-spool") Path spoolDir,
        @DefaultValue("256MB") DataSize spoolMaxSize,
        @DefaultValue("REJECT") AuditAdmission.WhenSpoolFull whenSpoolFull,
        Map<String, AuditAdmission.WhenSpoolFull> whenSpoolFullByTenant) {

    public Map<String, AuditAdmission.WhenSpoolFull> whenSpoolFullByTenant() {
        return whenSpoolFullByTenant == null ? Map.of() : whenSpoolFullByTenant;
    }
}
