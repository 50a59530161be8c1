package org.khmerai.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.khmerai.platform.audit.AuditAdmission.WhenSpoolFull;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.AccessPolicy.Refusal;

/** Calls while Kafka is away and the spool is full: refused unless the ministry chose to keep serving. */
class AuditAdmissionTest {

    @TempDir
    Path folder;

    private final MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());

    @Test
    void whileTheSpoolIsFullCallsAreRefusedUnlessTheMinistryKeepsServing() throws Exception {
        try (AuditPublisher publisher = new AuditPublisher(kafka, AuditPublisher.TOPIC,
                AuditSpool.open(folder.resolve("gateway.spool"), 6_000), Duration.ofHours(1))) {
            AuditAdmission admission = new AuditAdmission(publisher, WhenSpoolFull.REJECT, Map.of("health-ministry", WhenSpoolFull.SERVE));
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            new AuditSpoolMetrics(publisher, "gateway").bindTo(metrics);
            assertThat(admission.refusal("education-ministry")).as("Kafka takes events").isEmpty();

            kafka.sendException = new KafkaException("no metadata within max.block.ms");
            publisher.publish(AuditSpoolTest.event());
            assertThat(publisher.spoolDepth()).isEqualTo(1);
            assertThat(admission.refusal("education-ministry")).as("spooling, room left").isEmpty();

            while (!publisher.spoolFull()) {
                publisher.publish(AuditSpoolTest.event());
            }
            assertThat(admission.refusal("education-ministry")).get().extracting(Refusal::error)
                    .isEqualTo(PlatformError.SERVICE_UNAVAILABLE);
            assertThat(admission.refusal("health-ministry")).as("keeps serving by its own setting").isEmpty();
            assertThat(metrics.get("khmer.audit.spool.depth").tag("service", "gateway").gauge().value())
                    .isEqualTo(publisher.spoolDepth()).isGreaterThan(1);
            assertThat(metrics.get("khmer.audit.spool.full").gauge().value()).isEqualTo(1);
            for (int i = 0; i < 100 && publisher.droppedEvents() == 0; i++) {
                publisher.publish(AuditSpoolTest.event()); // until one finds no room at all: lost, and counted
            }
            assertThat(metrics.get("khmer.audit.events.dropped").functionCounter().count()).isEqualTo(1);
            assertThat(new AuditAdmission(publisher, WhenSpoolFull.SERVE, Map.of()).refusal("education-ministry")).isEmpty();

            kafka.sendException = null;
            publisher.forward(); // Kafka is back
            assertThat(admission.refusal("education-ministry")).isEmpty();
            assertThat(metrics.get("khmer.audit.spool.depth").gauge().value()).isZero();
        }
    }
}
