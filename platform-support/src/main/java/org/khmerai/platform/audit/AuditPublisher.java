package org.khmerai.platform.audit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.khmerai.audit.v1.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends audit events to Kafka, keyed by tenant so that one ministry's events stay in order.
 * The producer is idempotent and waits for all in-sync replicas ({@code acks=all}), so an event
 * the broker acknowledged is neither lost nor duplicated by a retry. An event Kafka does not take
 * goes to the {@link AuditSpool} on local disk, and so does every later one until the spool has
 * been forwarded, oldest first (ids are UUIDv7, ordered by time), and acknowledged; the audit
 * service stores each event id once, so a spooled event sent twice is stored once. Only a full
 * spool loses events, each counted and logged. An event the producer accepted before Kafka went away
 * is in memory until its delivery fails ({@link #DELIVERY_TIMEOUT} at most) and then spooled: a crash
 * of the process within that window loses it.
 */
public final class AuditPublisher implements AutoCloseable {

    public static final String TOPIC = "audit.events.v1";

    private static final Logger log = LoggerFactory.getLogger(AuditPublisher.class);
    private static final Duration FORWARD_EVERY = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long the producer gathers events into one request to Kafka. Nobody waits for an audit event
     * to arrive, and under load each request costs the service, the broker and the audit service
     * about as much as the events in it: at 300 calls a second, Kafka's default of 5 ms sent
     * requests of one or two events. The price: a process killed outright (a stop sends what is
     * gathered) loses the events of its last 50 ms instead of its last 5.
     */
    private static final Duration LINGER = Duration.ofMillis(50);
    /** The producer's own retries end after this: not Kafka's two minutes, which would keep events in memory that long. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final AuditSpool spool;
    private final AtomicLong dropped = new AtomicLong();
    private final ScheduledExecutorService forwarder;
    private volatile boolean spooling;

    public AuditPublisher(Producer<String, byte[]> producer, String topic, AuditSpool spool) {
        this(producer, topic, spool, FORWARD_EVERY);
    }

    /** @param forwardEvery how often the spool is tried again while it holds events */
    AuditPublisher(Producer<String, byte[]> producer, String topic, AuditSpool spool, Duration forwardEvery) {
        this.producer = producer;
        this.topic = topic;
        this.spool = spool;
        this.spooling = spool.depth() > 0; // what an earlier run could not send goes first
        this.forwarder = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("audit-spool").factory());
        forwarder.scheduleWithFixedDelay(this::forward, forwardEvery.toMillis(), forwardEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @param bootstrapServers the Kafka brokers
     * @param maxBlock         how long a call may wait for Kafka metadata before its event is spooled
     */
    public static AuditPublisher connect(String bootstrapServers, String topic, Duration maxBlock, AuditSpool spool) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, (int) LINGER.toMillis(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis(),
                // an event handed to the producer but not acknowledged (Kafka died after the metadata was known)
                // waits in memory at most this long before its failure moves it to the spool on disk
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis(),
                ProducerConfig.CLIENT_ID_CONFIG, "audit-publisher");
        return new AuditPublisher(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()), topic, spool);
    }

    public void publish(AuditEvent event) {
        if (spooling) {
            keep(event);
            return;
        }
        try {
            producer.send(record(event), (metadata, failure) -> {
                if (failure != null) {
                    spoolFrom(event, failure);
                }
            });
        } catch (RuntimeException e) {
            spoolFrom(event, e); // no metadata within max-block, or the producer is closing
        }
    }

    /** How many events wait in the spool for Kafka. */
    public int spoolDepth() {
        return spool.depth();
    }

    /** Whether events go to the spool now and it has no room left. */
    public boolean spoolFull() {
        return spooling && spool.full();
    }

    /** How many events were lost because the spool was full. */
    public long droppedEvents() {
        return dropped.get();
    }

    private void spoolFrom(AuditEvent event, Exception failure) {
        if (!spooling) {
            log.warn("Kafka did not take audit event {}: {}; events go to the spool until it does", event.getId(), failure.toString());
        }
        spooling = true;
        keep(event);
    }

    private void keep(AuditEvent event) {
        if (!spool.append(event)) {
            log.error("the audit spool is full: audit event {} of {} of {} is LOST ({} lost so far)",
                    event.getId(), event.getMethod(), event.getTenant(), dropped.incrementAndGet());
        }
    }

    /** Sends what the spool holds, oldest first, and forgets it once Kafka has acknowledged all of it. */
    void forward() {
        if (spool.depth() == 0) {
            return;
        }
        try {
            AuditSpool.Batch batch = spool.read();
            List<Future<RecordMetadata>> acknowledged = new ArrayList<>();
            for (AuditEvent event : batch.events().stream().sorted(Comparator.comparing(AuditEvent::getId)).toList()) {
                acknowledged.add(producer.send(record(event)));
            }
            producer.flush();
            for (Future<RecordMetadata> each : acknowledged) {
                each.get();
            }
            spool.forwarded(batch);
            if (spool.depth() == 0) {
                spooling = false;
                log.info("the audit spool is forwarded ({} events); events go to Kafka directly again", batch.events().size());
            }
        } catch (ExecutionException | IOException | RuntimeException e) {
            log.debug("forwarding the audit spool failed, will try again: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ProducerRecord<String, byte[]> record(AuditEvent event) {
        return new ProducerRecord<>(topic, event.getTenant(), event.toByteArray());
    }

    @Override
    public void close() throws IOException {
        forwarder.shutdownNow();
        producer.close(Duration.ofSeconds(10));
        spool.close();
    }
}
