package org.khmerai.audit.review;

import com.google.protobuf.InvalidProtocolBufferException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.khmerai.audit.chain.ChainHashes.Row;
import org.khmerai.audit.policy.TenantPolicy.Assessment;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Finding;
import org.khmerai.audit.v1.ReviewAction;
import org.khmerai.audit.v1.ReviewDecision;
import org.khmerai.audit.v1.ReviewItem;
import org.khmerai.audit.v1.ReviewState;
import org.khmerai.audit.v1.Severity;
import org.khmerai.platform.proto.ProtoTime;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The review queue: PostgreSQL tables {@code audit_review_item} (one per flagged call) and
 * {@code audit_review_action} (what reviewers did). Every read and change names the ministry, so no
 * reviewer reaches another ministry's items. A change locks its item, so two reviewers never both
 * hold or decide it.
 */
@Repository
public class ReviewQueue {

    private static final String ITEM_COLUMNS = "i.event_id, i.severity, i.findings, i.state, i.flagged_at, i.claimed_by";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transaction;

    public ReviewQueue(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.named = named;
        this.transaction = transaction;
    }

    /** A call that a flagging rule matched, as the ingest stores it. */
    public record Flagged(Row row, Assessment assessment) {
    }

    /** A reviewer's change that the item's state does not allow; the message says why. */
    public static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** Adds items for these calls, in the ingest's transaction. */
    public void enqueue(List<Flagged> flagged) {
        jdbc.batchUpdate("""
                insert into audit_review_item (event_id, tenant, severity, findings, rule_ids, state, flagged_at)
                values (?, ?, ?, ?, ?, ?, ?)""", flagged, flagged.size(), (insert, item) -> {
            insert.setObject(1, item.row().id());
            insert.setString(2, item.row().tenant());
            insert.setInt(3, item.assessment().severity().getNumber());
            insert.setBytes(4, ReviewItem.newBuilder().addAllFindings(item.assessment().findings()).build().toByteArray());
            insert.setArray(5, insert.getConnection().createArrayOf("text",
                    item.assessment().findings().stream().map(Finding::getRuleId).distinct().toArray()));
            insert.setString(6, ReviewState.REVIEW_STATE_OPEN.name());
            insert.setTimestamp(7, java.sql.Timestamp.from(item.row().occurredAt()));
        });
    }

    /** The optional narrowing of a listing. */
    public record Filter(Optional<ReviewState> state, Optional<Severity> minSeverity, Optional<String> ruleId,
                         Optional<String> claimedBy, Optional<Instant> from, Optional<Instant> to) {
    }

    /** One ministry's items, newest first, without their events and text. */
    public List<ReviewItem> list(String tenant, Filter filter, Optional<UUID> after, int limit) {
        StringBuilder sql = new StringBuilder("select " + ITEM_COLUMNS + " from audit_review_item i where i.tenant = :tenant");
        MapSqlParameterSource parameters = new MapSqlParameterSource("tenant", tenant).addValue("limit", limit);
        filter.state().ifPresent(state -> condition(sql, parameters, "i.state = :state", "state", state.name()));
        filter.minSeverity().ifPresent(min -> condition(sql, parameters, "i.severity >= :severity", "severity", min.getNumber()));
        filter.ruleId().ifPresent(rule -> condition(sql, parameters, ":rule = any(i.rule_ids)", "rule", rule));
        filter.claimedBy().ifPresent(who -> condition(sql, parameters, "i.claimed_by = :claimedBy", "claimedBy", who));
        filter.from().ifPresent(from -> condition(sql, parameters, "i.flagged_at >= :from", "from",
                java.sql.Timestamp.from(from.truncatedTo(ChronoUnit.MICROS))));
        filter.to().ifPresent(to -> condition(sql, parameters, "i.flagged_at < :to", "to",
                java.sql.Timestamp.from(to.plusNanos(999).truncatedTo(ChronoUnit.MICROS))));
        after.ifPresent(id -> condition(sql, parameters, "i.event_id < :after", "after", id));
        sql.append(" order by i.event_id desc limit :limit");
        return named.query(sql.toString(), parameters, (rows, n) -> item(rows).build());
    }

    /** One item of the ministry with its history, the call's stored event and stored text. */
    public Optional<ReviewItem> get(String tenant, UUID eventId) {
        return find(tenant, eventId, true);
    }

    /** One item of the ministry with its history; with the call's stored event and text only when asked for. */
    private Optional<ReviewItem> find(String tenant, UUID eventId, boolean withContent) {
        return jdbc.query("select " + ITEM_COLUMNS + ", e.content_purged_at" + (withContent ? ", e.event, e.input_text, e.output_text" : "")
                        + " from audit_review_item i join audit_event e on e.id = i.event_id where i.tenant = ? and i.event_id = ?",
                (rows, n) -> {
                    ReviewItem.Builder item = item(rows)
                            .setContentPurged(rows.getTimestamp("content_purged_at") != null)
                            .addAllHistory(history(eventId));
                    if (withContent) {
                        item.setEvent(event(rows.getBytes("event")))
                                .setInputText(Optional.ofNullable(rows.getString("input_text")).orElse(""))
                                .setOutputText(Optional.ofNullable(rows.getString("output_text")).orElse(""));
                    }
                    return item.build();
                }, tenant, eventId).stream().findFirst();
    }

    /**
     * Gives an open or escalated item to the reviewer; one the reviewer holds already stays as it is.
     *
     * @throws Conflict when another reviewer holds it or it is decided
     */
    public Optional<ReviewItem> claim(String tenant, UUID eventId, String reviewer) {
        return change(tenant, eventId, reviewer, (state, holder) -> {
            if (state == ReviewState.REVIEW_STATE_CLAIMED && reviewer.equals(holder)) {
                return Optional.empty();
            }
            if (state != ReviewState.REVIEW_STATE_OPEN && state != ReviewState.REVIEW_STATE_ESCALATED) {
                throw new Conflict(state == ReviewState.REVIEW_STATE_CLAIMED
                        ? "the item is claimed by " + holder : "the item is " + describe(state) + " already");
            }
            return Optional.of(new Change(ReviewState.REVIEW_STATE_CLAIMED, reviewer, "claim", ""));
        });
    }

    /**
     * Gives a claimed item back: open again, or escalated again if it had been escalated.
     *
     * @throws Conflict when the reviewer does not hold it
     */
    public Optional<ReviewItem> release(String tenant, UUID eventId, String reviewer) {
        return change(tenant, eventId, reviewer, (state, holder) -> {
            requireHeldBy(state, holder, reviewer);
            boolean escalated = "escalate".equals(jdbc.query("select action from audit_review_action where event_id = ?"
                    + " and action not in ('claim', 'release') order by seq desc limit 1", (rows, n) -> rows.getString(1), eventId)
                    .stream().findFirst().orElse(""));
            return Optional.of(new Change(escalated ? ReviewState.REVIEW_STATE_ESCALATED : ReviewState.REVIEW_STATE_OPEN,
                    null, "release", ""));
        });
    }

    /**
     * Records the reviewer's decision on an item they hold.
     *
     * @throws Conflict when the reviewer does not hold it
     */
    public Optional<ReviewItem> decide(String tenant, UUID eventId, String reviewer, ReviewDecision decision, String note) {
        return change(tenant, eventId, reviewer, (state, holder) -> {
            requireHeldBy(state, holder, reviewer);
            return Optional.of(switch (decision) {
                case REVIEW_DECISION_DISMISS -> new Change(ReviewState.REVIEW_STATE_DISMISSED, null, "dismiss", note);
                case REVIEW_DECISION_CONFIRM -> new Change(ReviewState.REVIEW_STATE_CONFIRMED, null, "confirm", note);
                case REVIEW_DECISION_ESCALATE -> new Change(ReviewState.REVIEW_STATE_ESCALATED, null, "escalate", note);
                default -> throw new IllegalArgumentException("no decision " + decision);
            });
        });
    }

    private record Change(ReviewState state, String claimedBy, String action, String note) {
    }

    @FunctionalInterface
    private interface Transition {
        /** The change to make, or empty to leave the item as it is. */
        Optional<Change> from(ReviewState state, String holder);
    }

    private Optional<ReviewItem> change(String tenant, UUID eventId, String reviewer, Transition transition) {
        Boolean found = transaction.execute(status -> {
            List<String[]> current = jdbc.query("select state, claimed_by from audit_review_item where tenant = ? and event_id = ? for update",
                    (rows, n) -> new String[] {rows.getString(1), rows.getString(2)}, tenant, eventId);
            if (current.isEmpty()) {
                return false;
            }
            transition.from(ReviewState.valueOf(current.getFirst()[0]), current.getFirst()[1]).ifPresent(change -> {
                jdbc.update("update audit_review_item set state = ?, claimed_by = ? where event_id = ?",
                        change.state().name(), change.claimedBy(), eventId);
                jdbc.update("insert into audit_review_action (event_id, action, reviewer, note) values (?, ?, ?, ?)",
                        eventId, change.action(), reviewer, change.note());
            });
            return true;
        });
        return Boolean.TRUE.equals(found) ? find(tenant, eventId, false) : Optional.empty();
    }

    private static void requireHeldBy(ReviewState state, String holder, String reviewer) {
        if (state != ReviewState.REVIEW_STATE_CLAIMED || !reviewer.equals(holder)) {
            throw new Conflict(state == ReviewState.REVIEW_STATE_CLAIMED
                    ? "the item is claimed by " + holder + ", not by you" : "claim the item first; it is " + describe(state));
        }
    }

    private static String describe(ReviewState state) {
        return state.name().substring("REVIEW_STATE_".length()).toLowerCase(java.util.Locale.ROOT);
    }

    private List<ReviewAction> history(UUID eventId) {
        return jdbc.query("select action, reviewer, acted_at, note from audit_review_action where event_id = ? order by seq",
                (rows, n) -> ReviewAction.newBuilder().setAction(rows.getString(1)).setReviewer(rows.getString(2))
                        .setTime(ProtoTime.timestamp(rows.getTimestamp(3).toInstant())).setNote(rows.getString(4)).build(), eventId);
    }

    private static ReviewItem.Builder item(ResultSet rows) throws SQLException {
        return ReviewItem.newBuilder()
                .setEventId(rows.getObject("event_id", UUID.class).toString())
                .setSeverity(Severity.forNumber(rows.getInt("severity")))
                .addAllFindings(findings(rows.getBytes("findings")))
                .setState(ReviewState.valueOf(rows.getString("state")))
                .setFlagTime(ProtoTime.timestamp(rows.getTimestamp("flagged_at").toInstant()))
                .setClaimedBy(Optional.ofNullable(rows.getString("claimed_by")).orElse(""));
    }

    private static void condition(StringBuilder sql, MapSqlParameterSource parameters, String condition, String name, Object value) {
        sql.append(" and ").append(condition);
        parameters.addValue(name, value);
    }

    private static AuditEvent event(byte[] stored) {
        try {
            return AuditEvent.parseFrom(stored);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored audit event no longer parses", e);
        }
    }

    /** The findings, stored as a review item that holds only them. */
    private static List<Finding> findings(byte[] stored) {
        try {
            return ReviewItem.parseFrom(stored).getFindingsList();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored review item no longer parses", e);
        }
    }
}
