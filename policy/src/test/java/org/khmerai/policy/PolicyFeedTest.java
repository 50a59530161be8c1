package org.khmerai.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.khmerai.policy.PolicyRules.terms;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.khmerai.audit.v1.PolicyRule;
import org.khmerai.audit.v1.PolicySnapshot;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.infrastructure.Await;
import org.khmerai.infrastructure.FreePorts;
import org.khmerai.infrastructure.KafkaBroker;

/** The ministries' rules carried on a real Kafka topic, as the services that enforce them read it. */
class PolicyFeedTest {

    private static final PolicyRule NO_BRIBES = terms("no-bribes", RuleAction.RULE_ACTION_BLOCK, "bribe");
    private static final PolicyRule NO_GIFTS = terms("no-gifts", RuleAction.RULE_ACTION_BLOCK, "gift");

    private static final String KAFKA = KafkaBroker.forTests();
    private static Producer<String, byte[]> producer;

    @BeforeAll
    static void connect() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void disconnect() {
        producer.close();
    }

    @Test
    void aPublishedChangeIsEnforcedWithinMomentsAndAnOlderSnapshotNeverWins() throws Exception {
        String topic = "policies-follow";
        try (PolicyFeed feed = PolicyFeed.start(KAFKA, topic, Duration.ofSeconds(30))) {
            assertThat(blocks(feed, "health", "a bribe")).as("a ministry with no snapshot has no rules").isFalse();

            publish(topic, PolicySnapshot.newBuilder().setTenant("health").setRevision(2).addRules(NO_BRIBES).build());
            eventually(() -> blocks(feed, "health", "a bribe"));
            assertThat(blocks(feed, "education", "a bribe")).as("another ministry's rule").isFalse();

            publish(topic, PolicySnapshot.newBuilder().setTenant("health").setRevision(1).addRules(NO_GIFTS).build());
            publish(topic, PolicySnapshot.newBuilder().setTenant("health").setRevision(3).addRules(NO_GIFTS).build());
            eventually(() -> blocks(feed, "health", "a gift"));
            assertThat(blocks(feed, "health", "a bribe")).as("revision 3 replaced revision 2").isFalse();
        }
    }

    @Test
    void aServiceThatStartsLaterReadsEveryMinistrysLatestRulesBeforeItServes() throws Exception {
        String topic = "policies-restart";
        PolicyTopic.ensure(KAFKA, topic, Duration.ofSeconds(10));
        publish(topic, PolicySnapshot.newBuilder().setTenant("health").setRevision(1).addRules(NO_GIFTS).build());
        publish(topic, PolicySnapshot.newBuilder().setTenant("health").setRevision(2).addRules(NO_BRIBES).build());
        publish(topic, PolicySnapshot.newBuilder().setTenant("agriculture").setRevision(7).addRules(NO_GIFTS).build());

        try (PolicyFeed feed = PolicyFeed.start(KAFKA, topic, Duration.ofSeconds(30))) {
            assertThat(blocks(feed, "health", "a bribe")).as("the first call already sees the rules").isTrue();
            assertThat(blocks(feed, "health", "a gift")).isFalse();
            assertThat(blocks(feed, "agriculture", "a gift")).isTrue();
        }
    }

    @Test
    void withKafkaUnreachableAtStartCallsAreRefusedNotServedWithoutRules() throws Exception {
        String nowhere = "127.0.0.1:" + FreePorts.free();
        try (PolicyFeed feed = PolicyFeed.start(nowhere, "policies", Duration.ofMillis(500))) {
            assertThatThrownBy(() -> feed.of("health")).isInstanceOfSatisfying(StatusRuntimeException.class, refused -> {
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(refused.getStatus().getDescription()).contains("policy rules could not be read yet", nowhere);
            });
        }
    }

    private static boolean blocks(PolicyFeed feed, String tenant, String text) {
        return feed.of(tenant).screen(text).block().isPresent();
    }

    private static void publish(String topic, PolicySnapshot snapshot) throws Exception {
        producer.send(new ProducerRecord<>(topic, snapshot.getTenant(), snapshot.toByteArray())).get(10, TimeUnit.SECONDS);
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        Await.until("the feed to read the snapshot", Duration.ofSeconds(15), condition);
    }
}
