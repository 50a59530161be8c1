package org.khmerai.audit.policy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.khmerai.audit.v1.PolicySnapshot;
import org.khmerai.policy.PolicyTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each ministry's rules on the compacted {@link PolicyTopic}, for the services that enforce
 * them on calls: at each round, every ministry whose revision is not the one last published (all of
 * them in the first round after a start). A change committed while Kafka is away is published once
 * it is back; what is published is always read from the database, never from the change itself.
 */
public final class PolicyPublisher {

    private static final Logger log = LoggerFactory.getLogger(PolicyPublisher.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private final PolicyStore store;
    private final Producer<String, byte[]> producer;
    private final String bootstrapServers;
    private final String topic;
    private final Map<String, Long> published = new HashMap<>();
    private boolean topicEnsured;

    public PolicyPublisher(PolicyStore store, Producer<String, byte[]> producer, String bootstrapServers, String topic) {
        this.store = store;
        this.producer = producer;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    /** One round; called from one thread at a time. */
    public void publishChanges() {
        if (!topicEnsured) {
            PolicyTopic.ensure(bootstrapServers, topic, KAFKA_TIMEOUT);
            topicEnsured = true;
        }
        store.revisions().forEach((tenant, revision) -> {
            if (!revision.equals(published.get(tenant))) {
                publish(store.snapshot(tenant));
            }
        });
    }

    private void publish(PolicySnapshot snapshot) {
        try {
            producer.send(new ProducerRecord<>(topic, snapshot.getTenant(), snapshot.toByteArray()))
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the policy of " + snapshot.getTenant() + " could not be published on " + topic
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the policy of " + snapshot.getTenant(), e);
        }
        published.put(snapshot.getTenant(), snapshot.getRevision());
        log.info("policy of {} published at revision {} ({} rules)", snapshot.getTenant(), snapshot.getRevision(),
                snapshot.getRulesCount());
    }
}
