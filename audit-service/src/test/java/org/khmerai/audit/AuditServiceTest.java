package org.khmerai.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.khmerai.platform.proto.ProtoTime.timestamp;

import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.KafkaBroker;
import org.khmerai.audit.ingest.AuditEventConsumer;
import org.khmerai.audit.query.AuditQueryGrpcService;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Edge;
import org.khmerai.audit.v1.ListAuditEventsRequest;
import org.khmerai.audit.v1.ListAuditEventsResponse;
import org.khmerai.platform.audit.AuditEvents;
import org.khmerai.platform.audit.AuditPublisher;
import org.khmerai.platform.security.Caller;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The audit service on a real Kafka broker and a real PostgreSQL. */
class AuditServiceTest extends AuditServiceHarness {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditPublisher publisher;
    @Autowired
    AuditQueryGrpcService queryService;

    @Test
    void storesEveryEventOnceCommitsOffsetsAfterwardsAndKeepsWhatIsNotAnEvent() throws Exception {
        AuditEvent first = event("ministry-a", "alice", Instant.now());
        AuditEvent second = event("ministry-a", "bob", Instant.now());
        publisher.publish(first);
        publisher.publish(second);
        publisher.publish(first); // a redelivery: same event id
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBroker.forTests(), ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(AuditPublisher.TOPIC, "ministry-a", new byte[] {0x0a, (byte) 0xff})).get();
            byte[] oversized = first.toBuilder().setMethod("x".repeat(300_000)).build().toByteArray();
            producer.send(new ProducerRecord<>(AuditPublisher.TOPIC, "ministry-a", oversized)).get();
        }

        awaitTrue(() -> count("select count(*) from audit_event where id in ('" + first.getId() + "','" + second.getId() + "')") == 2
                && count("select count(*) from audit_dead_letter") >= 2);
        assertThat(count("select count(*) from audit_event where id = '" + first.getId() + "'")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select principal from audit_event where id = ?", String.class,
                UUID.fromString(second.getId()))).isEqualTo("bob");
        awaitTrue(this::allOffsetsCommitted);
        assertThat(deadLetterReasons()).anySatisfy(reason -> assertThat(reason).contains("not an audit event"))
                .anySatisfy(reason -> assertThat(reason).contains("the limit is 262144"));
    }

    /** The reasons on the dead-letter topic, read from its beginning. */
    private List<String> deadLetterReasons() {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.forTests(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(AuditPublisher.TOPIC + AuditEventConsumer.DEAD_LETTER_SUFFIX));
            List<String> reasons = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (reasons.size() < 2 && Instant.now().isBefore(deadline)) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    reasons.add(new String(record.headers().lastHeader(AuditEventConsumer.REASON_HEADER).value(), StandardCharsets.UTF_8));
                }
            }
            return reasons;
        }
    }

    @Test
    void reviewersReadOnlyTheirOwnTenantNewestFirstInPages() throws Exception {
        Instant start = Instant.now();
        List<String> ministryB = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            AuditEvent event = event("ministry-b", "carol", start.plusMillis(i));
            ministryB.add(event.getId());
            publisher.publish(event);
        }
        publisher.publish(event("ministry-c", "dave", start));
        awaitTrue(() -> count("select count(*) from audit_event where tenant in ('ministry-b', 'ministry-c')") == 6);

        Caller reviewer = new Caller("rita", "ministry-b", "demo-cli", Set.of("reviewer"), "unused");
        ListAuditEventsResponse firstPage = list(reviewer, ListAuditEventsRequest.newBuilder().setPageSize(3).build());
        assertThat(firstPage.getEventsList()).extracting(AuditEvent::getId)
                .containsExactly(ministryB.get(4), ministryB.get(3), ministryB.get(2));
        ListAuditEventsResponse secondPage = list(reviewer, ListAuditEventsRequest.newBuilder().setPageSize(3)
                .setPageToken(firstPage.getNextPageToken()).build());
        assertThat(secondPage.getEventsList()).extracting(AuditEvent::getId).containsExactly(ministryB.get(1), ministryB.get(0));
        assertThat(secondPage.getNextPageToken()).isEmpty();

        ListAuditEventsResponse filtered = list(reviewer, ListAuditEventsRequest.newBuilder().setPrincipal("dave").build());
        assertThat(filtered.getEventsList()).isEmpty();
        ListAuditEventsResponse ranged = list(reviewer, ListAuditEventsRequest.newBuilder()
                .setFrom(timestamp(start.plusMillis(3))).build());
        assertThat(ranged.getEventsList()).extracting(AuditEvent::getId).containsExactly(ministryB.get(4), ministryB.get(3));
    }

    @Test
    void badQueriesAreInvalidArguments() {
        Caller reviewer = new Caller("rita", "ministry-b", "demo-cli", Set.of("reviewer"), "unused");
        for (ListAuditEventsRequest request : List.of(
                ListAuditEventsRequest.newBuilder().setPageSize(501).build(),
                ListAuditEventsRequest.newBuilder().setPageSize(-1).build(),
                ListAuditEventsRequest.newBuilder().setPageToken("not-a-token").build(),
                ListAuditEventsRequest.newBuilder().setStatus("FINE").build(),
                ListAuditEventsRequest.newBuilder().setFrom(timestamp(Instant.now())).setTo(timestamp(Instant.now().minusSeconds(5))).build())) {
            assertThat(UnaryCall.as(reviewer, queryService::listAuditEvents, request).code()).as(request.toString())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
    }

    private ListAuditEventsResponse list(Caller caller, ListAuditEventsRequest request) {
        return UnaryCall.ok(caller, queryService::listAuditEvents, request);
    }

    private boolean allOffsetsCommitted() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.forTests()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("audit-service")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return !committed.isEmpty() && committed.entrySet().stream()
                    .allMatch(e -> e.getValue().offset() == ends.get(e.getKey()).offset());
        } catch (Exception e) {
            return false;
        }
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    private static AuditEvent event(String tenant, String principal, Instant time) {
        return AuditEvents.begin(time, "test", Edge.EDGE_SERVICE).setTenant(tenant).setPrincipal(principal)
                .setMethod("khmer.segmentation.v1.SegmentationService/Segment").setStatus("OK").build();
    }


}
