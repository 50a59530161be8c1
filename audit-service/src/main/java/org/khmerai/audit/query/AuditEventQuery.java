package org.khmerai.audit.query;

import com.google.protobuf.InvalidProtocolBufferException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.khmerai.audit.v1.AuditEvent;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads one tenant's audit events, newest first, a page at a time. */
@Repository
public class AuditEventQuery {

    private final NamedParameterJdbcTemplate jdbc;

    public AuditEventQuery(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param tenant the caller's own tenant; there is no way to ask for another
     * @param after  the id of the last event of the previous page
     * @param limit  how many events at most
     */
    public List<AuditEvent> find(String tenant, Filter filter, Optional<UUID> after, int limit) {
        StringBuilder sql = new StringBuilder("select event from audit_event where tenant = :tenant");
        MapSqlParameterSource parameters = new MapSqlParameterSource("tenant", tenant).addValue("limit", limit);
        // records keep whole microseconds: a bound finer than that is widened to the microsecond it falls in
        filter.from().ifPresent(from -> condition(sql, parameters, "occurred_at >= :from", "from",
                Timestamp.from(from.truncatedTo(ChronoUnit.MICROS))));
        filter.to().ifPresent(to -> condition(sql, parameters, "occurred_at < :to", "to",
                Timestamp.from(to.plusNanos(999).truncatedTo(ChronoUnit.MICROS))));
        filter.service().ifPresent(service -> condition(sql, parameters, "service = :service", "service", service));
        filter.principal().ifPresent(principal -> condition(sql, parameters, "principal = :principal", "principal", principal));
        filter.status().ifPresent(status -> condition(sql, parameters, "status = :status", "status", status));
        after.ifPresent(id -> condition(sql, parameters, "id < :after", "after", id));
        sql.append(" order by id desc limit :limit");
        List<AuditEvent> events = new ArrayList<>();
        jdbc.query(sql.toString(), parameters, row -> {
            events.add(parse(row.getBytes("event")));
        });
        return events;
    }

    private static void condition(StringBuilder sql, MapSqlParameterSource parameters, String condition, String name,
                                  Object value) {
        sql.append(" and ").append(condition);
        parameters.addValue(name, value);
    }

    private static AuditEvent parse(byte[] stored) {
        try {
            return AuditEvent.parseFrom(stored);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored audit event no longer parses", e);
        }
    }

    /** The optional narrowing a reviewer asks for. */
    public record Filter(Optional<Instant> from, Optional<Instant> to, Optional<String> service,
                         Optional<String> principal, Optional<String> status) {
    }
}
