package org.khmerai.audit.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.khmerai.audit.v1.AuditEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Where an audit event is stored: PostgreSQL table {@code audit_event}, once per event id. */
@Repository
public class AuditEventStore {

    private static final String INSERT_EVENT = """
            insert into audit_event (id, tenant, occurred_at, principal, client_id, service, method, status, request_id, event)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (id) do nothing""";
    private static final String INSERT_DEAD_LETTER = """
            insert into audit_dead_letter (topic, partition_no, offset_no, payload, error)
            values (?, ?, ?, ?, ?)
            on conflict do nothing""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public AuditEventStore(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** Stores a polled batch in one transaction: all of it or, on failure, none of it. */
    public void store(IngestBatch batch) {
        transaction.executeWithoutResult(status -> {
            jdbc.batchUpdate(INSERT_EVENT, batch.events(), batch.events().size(), (row, event) -> {
                Instant time = Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos());
                row.setObject(1, UUID.fromString(event.getId()));
                row.setString(2, event.getTenant());
                row.setTimestamp(3, Timestamp.from(time));
                row.setString(4, event.getPrincipal());
                row.setString(5, event.getClientId());
                row.setString(6, event.getService());
                row.setString(7, event.getMethod());
                row.setString(8, event.getStatus());
                row.setString(9, event.getRequestId());
                row.setBytes(10, event.toByteArray());
            });
            jdbc.batchUpdate(INSERT_DEAD_LETTER, batch.deadLetters(), batch.deadLetters().size(), (row, letter) -> {
                row.setString(1, letter.topic());
                row.setInt(2, letter.partition());
                row.setLong(3, letter.offset());
                row.setBytes(4, letter.payload());
                row.setString(5, letter.error());
            });
        });
    }

    /** What one poll brought: the events to keep, and the records that were not audit events. */
    public record IngestBatch(List<AuditEvent> events, List<DeadLetter> deadLetters) {
    }

    public record DeadLetter(String topic, int partition, long offset, byte[] payload, String error) {
    }
}
