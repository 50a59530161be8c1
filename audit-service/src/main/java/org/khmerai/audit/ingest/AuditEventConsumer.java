package org.khmerai.audit.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.khmerai.audit.ingest.AuditEventStore.DeadLetter;
import org.khmerai.audit.ingest.AuditEventStore.IngestBatch;
import org.khmerai.audit.v1.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Moves audit events from Kafka into PostgreSQL. The delivery guarantee reads off the loop:
 * a polled batch is stored in one database transaction, and only then are its offsets committed
 * to Kafka. A crash in between redelivers the batch, and the store keeps each event id once.
 */
public final class AuditEventConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(AuditEventConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final Consumer<String, byte[]> consumer;
    private final AuditEventStore store;
    private final String topic;
    private volatile boolean running = true;

    public AuditEventConsumer(Consumer<String, byte[]> consumer, AuditEventStore store, String topic) {
        this.consumer = consumer;
        this.store = store;
        this.topic = topic;
    }

    @Override
    public void run() {
        try (consumer) {
            consumer.subscribe(List.of(topic));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    store.store(decode(records));
                    consumer.commitSync(nextOffsets(records));
                } catch (DataAccessException e) {
                    log.warn("storing {} audit events failed, will read them again: {}", records.count(), e.toString());
                    rewind(records);
                    Thread.sleep(RETRY_AFTER);
                }
            }
        } catch (WakeupException stopping) {
            // stop() woke the poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }

    private static IngestBatch decode(ConsumerRecords<String, byte[]> records) {
        List<AuditEvent> events = new ArrayList<>(records.count());
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                AuditEvent event = AuditEvent.parseFrom(record.value() == null ? new byte[0] : record.value());
                UUID.fromString(event.getId());
                if (!event.hasTime()) {
                    throw new IllegalArgumentException("no time");
                }
                events.add(event);
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                deadLetters.add(new DeadLetter(record.topic(), record.partition(), record.offset(), record.value(),
                        "not an audit event: " + e.getMessage()));
            }
        }
        return new IngestBatch(events, deadLetters);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> polled = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(polled.getLast().offset() + 1));
        }
        return offsets;
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).getFirst().offset());
        }
    }
}
