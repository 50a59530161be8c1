package org.khmerai.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.PostgresServer;
import org.khmerai.audit.chain.AuditIntegrityGrpcService;
import org.khmerai.audit.chain.ChainHashes;
import org.khmerai.audit.chain.ChainHashes.Row;
import org.khmerai.audit.chain.ChainVerifier;
import org.khmerai.audit.chain.ChainVerifier.Verification;
import org.khmerai.audit.chain.CheckpointKey;
import org.khmerai.audit.chain.Checkpoints;
import org.khmerai.audit.v1.AuditChainVerification;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Edge;
import org.khmerai.audit.v1.VerifyAuditChainRequest;
import org.khmerai.platform.audit.AuditEvents;
import org.khmerai.platform.audit.AuditPublisher;
import org.khmerai.platform.security.Caller;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Each tenant's records as a hash chain with signed checkpoints, and what verification finds when someone tampers. */
class AuditChainTest extends AuditServiceHarness {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditPublisher publisher;
    @Autowired
    ChainVerifier verifier;
    @Autowired
    Checkpoints checkpoints;
    @Autowired
    CheckpointKey key;
    @Autowired
    AuditIntegrityGrpcService integrity;

    @Test
    void storedEventsFormAChainThatVerifiesAndRedeliveriesDoNotBreakIt() throws Exception {
        String tenant = tenant();
        List<AuditEvent> events = store(tenant, 5);
        publisher.publish(events.get(2)); // a redelivery
        publisher.publish(event(tenant));
        awaitTrue(() -> stored(tenant) == 6);
        checkpoints.signGrownChains(key);

        Verification verification = verifier.verify(tenant);
        assertThat(verification.firstBroken()).isEmpty();
        assertThat(verification.recordsChecked()).isEqualTo(6);
        assertThat(verification.headSequence()).isEqualTo(6);
        assertThat(verification.checkpointsChecked()).isEqualTo(1);
        assertThat(events).extracting(event -> jdbc.queryForObject("select tenant_seq from audit_event where id = ?::uuid",
                Long.class, event.getId())).as("linked in the order they were published").containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aColumnAlteredInTheDatabaseIsNamed() throws Exception {
        String tenant = tenant();
        List<AuditEvent> events = store(tenant, 5);
        jdbc.update("update audit_event set principal = 'somebody-else' where tenant = ? and tenant_seq = 3", tenant);

        assertBroken(tenant, 3, events.get(2).getId(), "do not match its stored event");
    }

    @Test
    void anEventAlteredInTheDatabaseIsNamed() throws Exception {
        String tenant = tenant();
        List<AuditEvent> events = store(tenant, 5);
        byte[] other = events.get(3).toBuilder().setStatus("PERMISSION_DENIED").build().toByteArray();
        jdbc.update("update audit_event set event = ? where tenant = ? and tenant_seq = 4", other, tenant);

        assertBroken(tenant, 4, events.get(3).getId(), "stored event was altered");
    }

    @Test
    void aRecordAlteredWithItsEventAndContentHashIsNamedByItsRowHash() throws Exception {
        String tenant = tenant();
        List<AuditEvent> events = store(tenant, 3);
        byte[] other = events.get(1).toBuilder().setStatus("PERMISSION_DENIED").build().toByteArray();
        jdbc.update("update audit_event set event = ?, content_sha256 = ?, status = 'PERMISSION_DENIED' where tenant = ? and tenant_seq = 2",
                other, ChainHashes.sha256(other), tenant);

        assertBroken(tenant, 2, events.get(1).getId(), "its hash no longer matches");
    }

    @Test
    void aRemovedRecordIsNamedWhereverItWas() throws Exception {
        String middle = tenant();
        store(middle, 5);
        jdbc.update("delete from audit_event where tenant = ? and tenant_seq = 2", middle);
        assertBroken(middle, 2, "", "record 2 is missing");

        String last = tenant();
        store(last, 5);
        jdbc.update("delete from audit_event where tenant = ? and tenant_seq = 5", last);
        assertBroken(last, 5, "", "records at the end were removed");
    }

    @Test
    void aChainRewrittenWithFreshHashesNoLongerMatchesItsSignedCheckpoint() throws Exception {
        String tenant = tenant();
        store(tenant, 4);
        checkpoints.signGrownChains(key);
        // someone with write access to the database changes record 2 and recomputes every hash after it
        jdbc.update("update audit_event set principal = 'somebody-else', event = ? where tenant = ? and tenant_seq = 2",
                eventAt(tenant, 2).toBuilder().setPrincipal("somebody-else").build().toByteArray(), tenant);
        byte[] previous = jdbc.queryForObject("select row_hash from audit_event where tenant = ? and tenant_seq = 1", byte[].class, tenant);
        for (long seq = 2; seq <= 4; seq++) {
            AuditEvent event = eventAt(tenant, seq);
            Row row = new Row(UUID.fromString(event.getId()), tenant, seq, jdbc.queryForObject(
                    "select occurred_at from audit_event where tenant = ? and tenant_seq = ?", java.sql.Timestamp.class, tenant, seq).toInstant(),
                    event.getPrincipal(), event.getClientId(), event.getService(), event.getMethod(), event.getStatus(), event.getRequestId());
            byte[] content = ChainHashes.sha256(event.toByteArray());
            byte[] hash = ChainHashes.row(previous, row, content);
            jdbc.update("update audit_event set content_sha256 = ?, previous_hash = ?, row_hash = ? where tenant = ? and tenant_seq = ?",
                    content, previous, hash, tenant, seq);
            previous = hash;
        }
        jdbc.update("update audit_chain_head set head_hash = ? where tenant = ?", previous, tenant);

        assertBroken(tenant, 4, "", "does not match the chain");
    }

    @Test
    void aCheckpointSignedWithAnotherKeyDoesNotCount() throws Exception {
        String tenant = tenant();
        store(tenant, 2);
        CheckpointKey forger = CheckpointKey.loadOrCreate(java.nio.file.Files.createTempDirectory(
                java.nio.file.Path.of("target"), "forger").resolve("key"));
        checkpoints.signGrownChains(forger);

        assertBroken(tenant, 2, "", "which this service does not trust");
    }

    @Test
    void auditorsVerifyTheirOwnMinistrysChainOnly() throws Exception {
        String mine = tenant();
        String theirs = tenant();
        store(mine, 3);
        store(theirs, 2);
        jdbc.update("delete from audit_event where tenant = ? and tenant_seq = 1", theirs);

        Caller auditor = new Caller("ana", mine, "demo-cli", Set.of("auditor"), "unused");
        AuditChainVerification answer = UnaryCall.ok(auditor, integrity::verifyAuditChain, VerifyAuditChainRequest.getDefaultInstance());
        assertThat(answer.getValid()).isTrue();
        assertThat(answer.getRecordsChecked()).isEqualTo(3);
        assertThat(answer.getHeadHash()).hasSize(64);
    }

    @Test
    void recordsStoredBeforeTheChainExistedAreLinkedByTheMigration() throws Exception {
        String url = PostgresServer.testDatabase("khmer_ai_audit_upgrade");
        DriverManagerDataSource database = new DriverManagerDataSource(url, "postgres", "postgres");
        Flyway.configure().dataSource(database).target("1").load().migrate();
        JdbcTemplate old = new JdbcTemplate(database);
        String tenant = tenant();
        for (int i = 0; i < 3; i++) {
            // as the ingest stored them before the chain: the time as the driver rounds it
            AuditEvent event = AuditEvents.begin(Instant.parse("2026-01-01T00:00:00.000000999Z").plusMillis(i), "test", Edge.EDGE_SERVICE)
                    .setTenant(tenant).setPrincipal("alice").setMethod("m").setStatus("OK").build();
            old.update("""
                    insert into audit_event (id, tenant, occurred_at, principal, client_id, service, method, status, request_id, event)
                    values (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", event.getId(), tenant,
                    java.sql.Timestamp.from(Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos())),
                    event.getPrincipal(), event.getClientId(), event.getService(), event.getMethod(), event.getStatus(),
                    event.getRequestId(), event.toByteArray());
        }

        Flyway.configure().dataSource(database).load().migrate();
        Verification verification = new ChainVerifier(old, new Checkpoints(old), Set.of(key.id())).verify(tenant);
        assertThat(verification.firstBroken()).isEmpty();
        assertThat(verification.recordsChecked()).isEqualTo(3);
    }

    private void assertBroken(String tenant, long sequence, String eventId, String reason) {
        Verification verification = verifier.verify(tenant);
        assertThat(verification.valid()).isFalse();
        ChainVerifier.BrokenLink broken = verification.firstBroken().orElseThrow();
        assertThat(broken.sequence()).isEqualTo(sequence);
        assertThat(broken.eventId().map(Object::toString).orElse("")).isEqualTo(eventId);
        assertThat(broken.reason()).contains(reason);
    }

    private List<AuditEvent> store(String tenant, int count) throws Exception {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AuditEvent event = event(tenant);
            events.add(event);
            publisher.publish(event);
        }
        awaitTrue(() -> stored(tenant) == count);
        return events;
    }

    private long stored(String tenant) {
        return jdbc.queryForObject("select count(*) from audit_event where tenant = ?", Long.class, tenant);
    }

    private AuditEvent eventAt(String tenant, long seq) throws Exception {
        return AuditEvent.parseFrom(jdbc.queryForObject("select event from audit_event where tenant = ? and tenant_seq = ?",
                byte[].class, tenant, seq));
    }

    private static AuditEvent event(String tenant) {
        return AuditEvents.begin(Instant.now(), "test", Edge.EDGE_SERVICE).setTenant(tenant).setPrincipal("alice")
                .setMethod("khmer.segmentation.v1.SegmentationService/Segment").setStatus("OK").build();
    }

    private static String tenant() {
        return "ministry-" + UUID.randomUUID();
    }
}
