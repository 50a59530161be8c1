package org.khmerai.audit.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.khmerai.audit.ingest.AuditEventStore.DeadLetter;
import org.khmerai.audit.ingest.AuditEventStore.IngestBatch;
import org.khmerai.audit.v1.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Moves audit events from Kafka into PostgreSQL. The delivery guarantee reads off the loop:
 * a polled batch is stored in one database transaction, and only then are its offsets committed
 * to Kafka. A crash in between redelivers the batch, and the store keeps each event id once.
 * A record that is not an audit event (from a buggy producer) goes, with the reason, to the
 * dead-letter topic and table before the offsets move on, and the consumer carries on.
 */
public final class AuditEventConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(AuditEventConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    /** An event larger than this is a producer's bug: the largest real one is a few kilobytes. */
    static final int MAX_EVENT_BYTES = 256 * 1024;
    public static final String DEAD_LETTER_SUFFIX = ".dead-letters";
    public static final String REASON_HEADER = "khmer-dead-letter-reason";

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> deadLetters;
    private final AuditEventStore store;
    private final String topic;
    private volatile boolean running = true;

    public AuditEventConsumer(Consumer<String, byte[]> consumer, Producer<String, byte[]> deadLetters, AuditEventStore store,
                              String topic) {
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.store = store;
        this.topic = topic;
    }

    @Override
    public void run() {
        try (consumer; deadLetters) {
            consumer.subscribe(List.of(topic));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    IngestBatch batch = decode(records);
                    forward(batch.deadLetters());
                    store.store(batch);
                    consumer.commitSync(nextOffsets(records));
                } catch (DataAccessException | TransactionException | KafkaException | ExecutionException e) {
                    // the database or Kafka went away, even in the middle of a commit or a rollback: read the batch again
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

    /** Sends the batch's dead letters to the dead-letter topic and waits until Kafka has them. */
    private void forward(List<DeadLetter> letters) throws ExecutionException, InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (DeadLetter letter : letters) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(letter.topic() + DEAD_LETTER_SUFFIX, letter.key(), letter.payload());
            record.headers().add(REASON_HEADER, letter.error().getBytes(StandardCharsets.UTF_8));
            record.headers().add("khmer-dead-letter-origin", (letter.topic() + "/" + letter.partition() + "@" + letter.offset())
                    .getBytes(StandardCharsets.UTF_8));
            sent.add(deadLetters.send(record));
        }
        for (Future<RecordMetadata> each : sent) {
            each.get();
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
                if (record.value() != null && record.value().length > MAX_EVENT_BYTES) {
                    throw new IllegalArgumentException("an event of " + record.value().length + " bytes; the limit is " + MAX_EVENT_BYTES);
                }
                AuditEvent event = AuditEvent.parseFrom(record.value() == null ? new byte[0] : record.value());
                UUID.fromString(event.getId());
                if (!event.hasTime()) {
                    throw new IllegalArgumentException("no time");
                }
                events.add(event);
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                deadLetters.add(new DeadLetter(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
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
