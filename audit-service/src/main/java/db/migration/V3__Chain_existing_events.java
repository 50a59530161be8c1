package db.migration;

import com.google.protobuf.InvalidProtocolBufferException;
import java.sql.SQLException;
import java.sql.Timestamp;
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
     * The record's columns come from its event, as the ingest takes them now; before the chain the
     * driver rounded the time instead, so {@code occurred_at} is written again from the event.
     */
    private static AuditEvent parse(byte[] event) throws SQLException {
        try {
            return AuditEvent.parseFrom(event);
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
            jdbc.query("select id, event from audit_event where tenant = ? and tenant_seq is null order by id", rows -> {
                byte[] event = rows.getBytes("event");
                links.add(head.append(Row.of(rows.getObject("id", UUID.class), parse(event)), event));
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
