package org.khmerai.audit.policy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.khmerai.audit.v1.AuditSettings;
import org.khmerai.audit.v1.ContentMode;
import org.khmerai.audit.v1.PolicyRule;
import org.khmerai.audit.v1.PolicySnapshot;
import org.khmerai.platform.proto.ProtoTime;
import org.khmerai.policy.CompiledRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where a ministry's audit settings and policy rules are kept: PostgreSQL tables {@code audit_policy}
 * and {@code audit_policy_rule}. Every change raises the ministry's revision, with its row locked, so
 * that changes of one ministry are made one at a time and the ingest sees each.
 */
@Repository
public class PolicyStore {

    private static final Logger log = LoggerFactory.getLogger(PolicyStore.class);
    /** A ministry's rules are read for every batch of its events: a bound keeps that cheap. */
    public static final int MAX_RULES = 200;

    private static final String RAISE_REVISION = """
            insert into audit_policy (tenant, content_mode, content_retention_days, revision, updated_at, updated_by)
            values (?, ?, 0, 1, clock_timestamp(), ?)
            on conflict (tenant) do update set revision = audit_policy.revision + 1, updated_at = excluded.updated_at,
                                               updated_by = excluded.updated_by""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public PolicyStore(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    public AuditSettings settings(String tenant) {
        return jdbc.query("select content_mode, content_retention_days, updated_at, updated_by from audit_policy where tenant = ?",
                (rows, n) -> AuditSettings.newBuilder()
                        .setContentMode(ContentMode.valueOf(rows.getString(1)))
                        .setContentRetentionDays(rows.getInt(2))
                        .setUpdateTime(ProtoTime.timestamp(rows.getTimestamp(3).toInstant()))
                        .setUpdatedBy(rows.getString(4)).build(), tenant)
                .stream().findFirst()
                .orElse(AuditSettings.newBuilder().setContentMode(ContentMode.CONTENT_MODE_METADATA_ONLY).build());
    }

    public AuditSettings updateSettings(String tenant, ContentMode mode, int retentionDays, String by) {
        transaction.executeWithoutResult(status -> {
            raiseRevision(tenant, by);
            jdbc.update("update audit_policy set content_mode = ?, content_retention_days = ? where tenant = ?",
                    mode.name(), retentionDays, tenant);
        });
        return settings(tenant);
    }

    public List<PolicyRule> rules(String tenant) {
        return jdbc.query("select definition from audit_policy_rule where tenant = ? order by rule_id",
                (rows, n) -> parse(rows.getBytes(1)), tenant);
    }

    /**
     * Saves a rule that {@link CompiledRule#of} accepted, replacing the one with its id.
     *
     * @return the rule as saved, or empty when the ministry already has {@value #MAX_RULES} other rules
     */
    public Optional<PolicyRule> putRule(String tenant, PolicyRule rule, String by, Instant now) {
        PolicyRule saved = rule.toBuilder().setUpdateTime(ProtoTime.timestamp(now)).setUpdatedBy(by).build();
        return transaction.execute(status -> {
            raiseRevision(tenant, by);
            Integer others = jdbc.queryForObject("select count(*) from audit_policy_rule where tenant = ? and rule_id <> ?",
                    Integer.class, tenant, rule.getId());
            if (others >= MAX_RULES) {
                status.setRollbackOnly();
                return Optional.empty();
            }
            jdbc.update("""
                    insert into audit_policy_rule (tenant, rule_id, definition) values (?, ?, ?)
                    on conflict (tenant, rule_id) do update set definition = excluded.definition""",
                    tenant, rule.getId(), saved.toByteArray());
            return Optional.of(saved);
        });
    }

    /** @return whether there was such a rule */
    public boolean deleteRule(String tenant, String id, String by) {
        return Boolean.TRUE.equals(transaction.execute(status -> {
            raiseRevision(tenant, by);
            if (jdbc.update("delete from audit_policy_rule where tenant = ? and rule_id = ?", tenant, id) == 0) {
                status.setRollbackOnly();
                return false;
            }
            return true;
        }));
    }

    /** The revisions of those of these ministries that have a policy. */
    Map<String, Long> revisions(Collection<String> tenants) {
        return jdbc.execute((Connection connection) -> {
            try (var query = connection.prepareStatement("select tenant, revision from audit_policy where tenant = any(?)")) {
                query.setArray(1, connection.createArrayOf("text", tenants.toArray()));
                Map<String, Long> revisions = new HashMap<>();
                try (var rows = query.executeQuery()) {
                    while (rows.next()) {
                        revisions.put(rows.getString(1), rows.getLong(2));
                    }
                }
                return revisions;
            }
        });
    }

    /** The revision of every ministry that has a policy. */
    Map<String, Long> revisions() {
        Map<String, Long> revisions = new HashMap<>();
        jdbc.query("select tenant, revision from audit_policy", rows -> {
            revisions.put(rows.getString(1), rows.getLong(2));
        });
        return revisions;
    }

    /** A ministry's rules and their revision, read together (one statement: one snapshot of the tables). */
    PolicySnapshot snapshot(String tenant) {
        PolicySnapshot.Builder snapshot = PolicySnapshot.newBuilder().setTenant(tenant);
        jdbc.query("""
                select p.revision, r.definition from audit_policy p left join audit_policy_rule r on r.tenant = p.tenant
                where p.tenant = ? order by r.rule_id""", rows -> {
            snapshot.setRevision(rows.getLong(1));
            byte[] definition = rows.getBytes(2);
            if (definition != null) {
                snapshot.addRules(parse(definition));
            }
        }, tenant);
        return snapshot.build();
    }

    /** A ministry's policy as the ingest applies it. */
    TenantPolicy load(String tenant) {
        AuditSettings settings = settings(tenant);
        List<CompiledRule> rules = rules(tenant).stream().flatMap(rule -> {
            try {
                return Stream.of(CompiledRule.of(rule));
            } catch (CompiledRule.InvalidRuleException e) {
                // only possible if this version checks more than the one that saved the rule
                log.error("the saved rule {} of {} no longer passes its check and is not applied: {}", rule.getId(), tenant, e.getMessage());
                return Stream.empty();
            }
        }).toList();
        return new TenantPolicy(settings.getContentMode(), settings.getContentRetentionDays(), rules);
    }

    private void raiseRevision(String tenant, String by) {
        jdbc.update(RAISE_REVISION, tenant, ContentMode.CONTENT_MODE_METADATA_ONLY.name(), by);
    }

    private static PolicyRule parse(byte[] definition) {
        try {
            return PolicyRule.parseFrom(definition);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a saved policy rule no longer parses", e);
        }
    }
}
