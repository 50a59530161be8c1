package org.khmerai.platform.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The audit spool as operators watch it: {@code khmer.audit.spool.depth} (events waiting for Kafka;
 * above zero means Kafka is or was unreachable), {@code khmer.audit.spool.full} (1 while new events
 * find no room, when ministries that fail closed are refused) and {@code khmer.audit.events.dropped}
 * (events lost to a full spool since the process started; alert on any increase).
 */
public final class AuditSpoolMetrics implements MeterBinder {

    private final AuditPublisher publisher;
    private final String service;

    public AuditSpoolMetrics(AuditPublisher publisher, String service) {
        this.publisher = publisher;
        this.service = service;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("khmer.audit.spool.depth", publisher, AuditPublisher::spoolDepth)
                .description("audit events in the local spool, waiting for Kafka").baseUnit("events")
                .tag("service", service).register(registry);
        Gauge.builder("khmer.audit.spool.full", publisher, p -> p.spoolFull() ? 1 : 0)
                .description("1 while the audit spool has no room for new events").tag("service", service).register(registry);
        FunctionCounter.builder("khmer.audit.events.dropped", publisher, AuditPublisher::droppedEvents)
                .description("audit events lost because the spool was full").baseUnit("events")
                .tag("service", service).register(registry);
    }
}
