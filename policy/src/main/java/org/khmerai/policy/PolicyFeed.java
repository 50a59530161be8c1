package org.khmerai.policy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.khmerai.audit.v1.PolicyRule;
import org.khmerai.audit.v1.PolicySnapshot;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ministries' rules as a service that enforces them on calls knows them: read from the compacted
 * {@link PolicyTopic} on a thread of its own, from the beginning at start and then as the audit
 * service publishes each change. A call waits (up to {@code readyTimeout}) until the topic has been
 * read as far as it reached when the feed started: a service whose Kafka is unreachable at start refuses
 * its calls (UNAVAILABLE) rather than serve them on rules it may be missing. Once read, a Kafka outage
 * leaves the last rules known in force.
 */
public final class PolicyFeed implements CallPolicies, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PolicyFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private record Known(long revision, CallPolicy policy) {
    }

    private final String bootstrapServers;
    private final String topic;
    private final Duration readyTimeout;
    private final Consumer<String, byte[]> consumer;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final CountDownLatch read = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    private PolicyFeed(String bootstrapServers, String topic, Duration readyTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.readyTimeout = readyTimeout;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "policy-feed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().daemon().name("policy-feed").unstarted(this::run);
    }

    /**
     * @param readyTimeout how long a call waits for the topic to be read before it is refused
     */
    public static PolicyFeed start(String bootstrapServers, String topic, Duration readyTimeout) {
        PolicyFeed feed = new PolicyFeed(bootstrapServers, topic, readyTimeout);
        feed.thread.start();
        return feed;
    }

    @Override
    public CallPolicy of(String tenant) {
        if (!awaitRead()) {
            throw GrpcErrors.exception(PlatformError.SERVICE_UNAVAILABLE, "the ministries' policy rules could not be read yet"
                    + " (Kafka topic " + topic + " at " + bootstrapServers + "); calls wait for them so that no rule is skipped");
        }
        Known policy = known.get(tenant);
        return policy == null ? CallPolicy.NONE : policy.policy();
    }

    /** The revision of a ministry's rules this feed has read; 0 when it has read none. */
    public long revisionOf(String tenant) {
        Known policy = known.get(tenant);
        return policy == null ? 0 : policy.revision();
    }

    /** Whether the topic has been read as far as it reached when the feed started. */
    public boolean isRead() {
        return read.getCount() == 0;
    }

    private boolean awaitRead() {
        try {
            return read.await(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        try {
            while (running) {
                try {
                    follow();
                } catch (WakeupException e) {
                    // closing
                } catch (RuntimeException e) {
                    log.warn("reading the policy topic {} failed, trying again in {}: {}", topic, RETRY_AFTER, e.toString());
                    pause();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** Reads the topic from its beginning (a snapshot already known is passed over), then follows it. */
    private void follow() {
        PolicyTopic.ensure(bootstrapServers, topic, KAFKA_TIMEOUT);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, KAFKA_TIMEOUT).stream()
                .map(partition -> new TopicPartition(topic, partition.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
        while (running) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                apply(record.key(), record.value());
            }
            if (!isRead() && ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                read.countDown();
                log.info("policy rules read from {}: {} ministries have rules that act on calls", topic,
                        known.values().stream().filter(policy -> !policy.policy().isEmpty()).count());
            }
        }
    }

    private void apply(String tenant, byte[] value) {
        if (tenant == null || value == null) {
            return; // no snapshot is ever removed; a record without one is not ours
        }
        PolicySnapshot snapshot;
        try {
            snapshot = PolicySnapshot.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            log.error("a record of {} for {} is not a policy snapshot and is passed over: {}", topic, tenant, e.getMessage());
            return;
        }
        Known current = known.get(tenant);
        if (current != null && current.revision() >= snapshot.getRevision()) {
            return;
        }
        List<CompiledRule> rules = new ArrayList<>();
        for (PolicyRule rule : snapshot.getRulesList()) {
            if (CallPolicy.isEnforcedOnCalls(rule.getAction())) {
                try {
                    rules.add(CompiledRule.of(rule));
                } catch (CompiledRule.InvalidRuleException e) {
                    // only possible if this version checks more than the audit service that saved the rule
                    log.error("the rule {} of {} does not pass this service's check and is not enforced: {}", rule.getId(), tenant,
                            e.getMessage());
                }
            }
        }
        known.put(tenant, new Known(snapshot.getRevision(), new CallPolicy(rules)));
        if (isRead()) {
            log.info("policy of {} now at revision {}: {} rules act on calls", tenant, snapshot.getRevision(), rules.size());
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
