package org.khmerai.audit.ingest;

import java.sql.Connection;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.khmerai.audit.chain.ChainHashes.Row;
import org.khmerai.audit.chain.ChainHead;
import org.khmerai.audit.chain.ChainHead.Link;
import org.khmerai.audit.policy.TenantPolicies;
import org.khmerai.audit.policy.TenantPolicy;
import org.khmerai.audit.policy.TenantPolicy.Assessment;
import org.khmerai.audit.review.ReviewQueue;
import org.khmerai.audit.v1.AuditEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where an audit event is stored: PostgreSQL table {@code audit_event}, once per event id, each
 * record a link of its tenant's hash chain, keeping of the call's text what its ministry's content
 * mode allows.
 */
@Repository
public class AuditEventStore {

    private static final String INSERT_EVENT = """
            insert into audit_event (id, tenant, occurred_at, principal, client_id, service, method, status, request_id, event,
                                     tenant_seq, content_sha256, previous_hash, row_hash, input_text, output_text)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_DEAD_LETTER = """
            insert into audit_dead_letter (topic, partition_no, offset_no, payload, error)
            values (?, ?, ?, ?, ?)
            on conflict do nothing""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final TenantPolicies policies;
    private final ReviewQueue reviews;

    public AuditEventStore(JdbcTemplate jdbc, TransactionTemplate transaction, TenantPolicies policies, ReviewQueue reviews) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.policies = policies;
        this.reviews = reviews;
    }

    /**
     * Stores a polled batch in one transaction: all of it or, on failure, none of it. Each event not
     * stored before has its ministry's policy applied (what text is kept, which rules match) and is
     * linked into its ministry's hash chain, in the order Kafka delivered them; flagged calls enter
     * the review queue in the same transaction.
     */
    public void store(IngestBatch batch) {
        transaction.executeWithoutResult(status -> {
            List<Record> records = chain(batch.events());
            jdbc.batchUpdate(INSERT_EVENT, records, records.size(), (insert, record) -> {
                Link link = record.link();
                Row row = link.row();
                insert.setObject(1, row.id());
                insert.setString(2, row.tenant());
                insert.setTimestamp(3, Timestamp.from(row.occurredAt()));
                insert.setString(4, row.principal());
                insert.setString(5, row.clientId());
                insert.setString(6, row.service());
                insert.setString(7, row.method());
                insert.setString(8, row.status());
                insert.setString(9, row.requestId());
                insert.setBytes(10, link.storedEvent());
                insert.setLong(11, row.sequence());
                insert.setBytes(12, link.contentHash());
                insert.setBytes(13, link.previousHash());
                insert.setBytes(14, link.rowHash());
                insert.setString(15, record.assessment().inputText().orElse(null));
                insert.setString(16, record.assessment().outputText().orElse(null));
            });
            reviews.enqueue(records.stream().filter(record -> record.assessment().flagged())
                    .map(record -> new ReviewQueue.Flagged(record.link().row(), record.assessment())).toList());
            jdbc.batchUpdate(INSERT_DEAD_LETTER, batch.deadLetters(), batch.deadLetters().size(), (row, letter) -> {
                row.setString(1, letter.topic());
                row.setInt(2, letter.partition());
                row.setLong(3, letter.offset());
                row.setBytes(4, letter.payload());
                row.setString(5, letter.error());
            });
        });
    }

    /**
     * The links of the events not stored yet (Kafka redelivers; a batch may repeat an event). The
     * heads of the batch's tenants are locked first, in tenant order, so that no other writer can
     * store one of these events or grow these chains meanwhile.
     */
    private List<Record> chain(List<AuditEvent> events) {
        List<String> tenants = events.stream().map(AuditEvent::getTenant).toList();
        Map<String, ChainHead> heads = ChainHead.lock(jdbc, tenants);
        Map<String, TenantPolicy> policy = policies.of(tenants);
        Set<UUID> stored = new HashSet<>(jdbc.execute((Connection connection) -> {
            try (var query = connection.prepareStatement("select id from audit_event where id = any(?)")) {
                query.setArray(1, connection.createArrayOf("uuid", events.stream().map(e -> UUID.fromString(e.getId())).toArray()));
                List<UUID> found = new ArrayList<>();
                try (var rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getObject(1, UUID.class));
                    }
                }
                return found;
            }
        }));
        List<Record> records = new ArrayList<>();
        for (AuditEvent event : events) {
            UUID id = UUID.fromString(event.getId());
            if (stored.add(id)) {
                Assessment assessment = policy.get(event.getTenant()).assess(event);
                Link link = heads.get(event.getTenant()).append(Row.of(id, event), assessment.storedEvent().toByteArray());
                records.add(new Record(link, assessment));
            }
        }
        ChainHead.save(jdbc, heads.values());
        return records;
    }

    /** An event as it is stored: its link in the chain, and what its ministry's policy made of it. */
    private record Record(Link link, Assessment assessment) {
    }

    /** What one poll brought: the events to keep, and the records that were not audit events. */
    public record IngestBatch(List<AuditEvent> events, List<DeadLetter> deadLetters) {
    }

    public record DeadLetter(String topic, int partition, long offset, String key, byte[] payload, String error) {
    }
}
