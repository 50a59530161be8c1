package org.khmerai.platform.audit;

import java.util.Map;
import java.util.Optional;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.AccessPolicy.Refusal;

/**
 * Whether a ministry's call may go ahead while its audit event could not be kept: when Kafka is
 * unreachable and the spool is full, calls are refused with 503 (fail closed, the default for
 * government use), unless the ministry's setting is to keep serving, its lost events counted and
 * logged. Checked once the caller is known, at both gateway edges and in every service.
 */
public final class AuditAdmission {

    /** What a ministry's calls do while the spool is full. */
    public enum WhenSpoolFull {
        REJECT,
        SERVE
    }

    private final AuditPublisher publisher;
    private final WhenSpoolFull byDefault;
    private final Map<String, WhenSpoolFull> byTenant;

    public AuditAdmission(AuditPublisher publisher, WhenSpoolFull byDefault, Map<String, WhenSpoolFull> byTenant) {
        this.publisher = publisher;
        this.byDefault = byDefault;
        this.byTenant = Map.copyOf(byTenant);
    }

    /** Why {@code tenant}'s call may not go ahead now, or empty when it may. */
    public Optional<Refusal> refusal(String tenant) {
        if (!publisher.spoolFull() || byTenant.getOrDefault(tenant, byDefault) == WhenSpoolFull.SERVE) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(PlatformError.SERVICE_UNAVAILABLE, "the audit trail cannot record this call now"
                + " (Kafka is unreachable and the audit spool is full), and your ministry's calls are refused until it can"));
    }
}
