package db.migration;

import com.google.protobuf.InvalidProtocolBufferException;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.khmerai.audit.chain.ChainHashes.Row;
import org.khmerai.audit.chain.ChainHead;
import org.khmerai.audit.chain.ChainHead.Link;
import org.khmerai.audit.v1.AuditEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Links the records stored before the hash chain existed into their tenants' chains, oldest first,
 * with the same code the ingest uses; from then on every record must be a link.
 */
public class V3__Chain_existing_events extends BaseJavaMigration {

    /**
     * The event's own time in whole microseconds, as the ingest stores it now; before the chain the
     * driver rounded it instead, so the column is written again from the event.
     */
    private static Instant occurredAt(byte[] event) throws SQLException {
        try {
            var time = AuditEvent.parseFrom(event).getTime();
            return Instant.ofEpochSecond(time.getSeconds(), time.getNanos() / 1_000 * 1_000);
        } catch (InvalidProtocolBufferException e) {
            throw new SQLException("a stored audit event does not parse", e);
        }
    }

    @Override
    public void migrate(Context context) {
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true));
        for (String tenant : jdbc.queryForList(
                "select distinct tenant from audit_event where tenant_seq is null order by tenant", String.class)) {
            ChainHead head = ChainHead.lock(jdbc, List.of(tenant)).get(tenant);
            List<Link> links = new ArrayList<>();
            jdbc.query("""
                    select id, principal, client_id, service, method, status, request_id, event
                    from audit_event where tenant = ? and tenant_seq is null order by id""", rows -> {
                byte[] event = rows.getBytes("event");
                Row row = new Row(rows.getObject("id", UUID.class), tenant, 0, occurredAt(event),
                        rows.getString("principal"), rows.getString("client_id"), rows.getString("service"),
                        rows.getString("method"), rows.getString("status"), rows.getString("request_id"));
                links.add(head.append(row, event));
            }, tenant);
            for (Link link : links) {
                jdbc.update("""
                        update audit_event set occurred_at = ?, tenant_seq = ?, content_sha256 = ?, previous_hash = ?, row_hash = ?
                        where id = ?""", Timestamp.from(link.row().occurredAt()), link.row().sequence(), link.contentHash(),
                        link.previousHash(), link.rowHash(), link.row().id());
            }
            ChainHead.save(jdbc, List.of(head));
        }
        jdbc.execute("""
                alter table audit_event
                    alter column tenant_seq set not null,
                    alter column content_sha256 set not null,
                    alter column previous_hash set not null,
                    alter column row_hash set not null""");
    }
}
