package org.khmerai.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.khmerai.audit.v1.AuditEvent;

/** What the publisher does when Kafka does not take an event (the producer is Kafka's own MockProducer). */
class AuditPublisherTest {

    @TempDir
    Path folder;

    private final MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());

    @Test
    void eventsKafkaDoesNotTakeWaitInTheSpoolThenGoOldestFirstAndDirectSendingResumes() throws Exception {
        try (AuditPublisher publisher = publisher(1 << 20)) {
            AuditEvent first = AuditSpoolTest.event();
            publisher.publish(first);
            kafka.errorNext(new TimeoutException("the broker is away"));
            AuditEvent second = AuditSpoolTest.event();
            AuditEvent third = AuditSpoolTest.event();
            publisher.publish(second);
            publisher.publish(third);
            assertThat(publisher.spoolDepth()).isEqualTo(3);
            assertThat(kafka.history()).as("nothing new goes to Kafka while events wait").hasSize(1);

            publisher.forward(); // Kafka is back: MockProducer acknowledges on flush
            assertThat(publisher.spoolDepth()).isZero();
            List<String> forwarded = ids(kafka.history().subList(1, 4));
            assertThat(forwarded).containsExactlyElementsOf(Stream.of(first, second, third).map(AuditEvent::getId).sorted().toList());

            AuditEvent fourth = AuditSpoolTest.event();
            publisher.publish(fourth);
            assertThat(ids(kafka.history())).last().isEqualTo(fourth.getId());
            assertThat(publisher.spoolDepth()).isZero();
        }
    }

    @Test
    void whileKafkaStaysAwayTheSpoolKeepsEverything() throws Exception {
        try (AuditPublisher publisher = publisher(1 << 20)) {
            kafka.sendException = new KafkaException("no metadata within max.block.ms");
            publisher.publish(AuditSpoolTest.event());
            publisher.publish(AuditSpoolTest.event());
            publisher.forward();
            assertThat(publisher.spoolDepth()).isEqualTo(2);
            assertThat(publisher.droppedEvents()).isZero();
        }
    }

    @Test
    void onlyAFullSpoolLosesEventsAndEachIsCounted() throws Exception {
        try (AuditPublisher publisher = publisher(AuditSpoolTest.event().getSerializedSize() + 8 + 4)) {
            kafka.sendException = new KafkaException("no metadata within max.block.ms");
            publisher.publish(AuditSpoolTest.event());
            publisher.publish(AuditSpoolTest.event());
            assertThat(publisher.spoolDepth()).isEqualTo(1);
            assertThat(publisher.droppedEvents()).isEqualTo(1);
        }
    }

    private AuditPublisher publisher(long spoolBytes) {
        return new AuditPublisher(kafka, AuditPublisher.TOPIC, AuditSpool.open(folder.resolve("test.spool"), spoolBytes),
                Duration.ofHours(1)); // the test forwards when it wants
    }

    private static List<String> ids(List<ProducerRecord<String, byte[]>> records) {
        return records.stream().map(record -> {
            try {
                return AuditEvent.parseFrom(record.value()).getId();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }
}
