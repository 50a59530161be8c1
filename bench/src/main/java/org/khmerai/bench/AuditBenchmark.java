package org.khmerai.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.khmerai.audit.AuditApplication;
import org.khmerai.audit.chain.ChainVerifier;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Edge;
import org.khmerai.infrastructure.KafkaBroker;
import org.khmerai.infrastructure.PostgresServer;
import org.khmerai.platform.audit.AuditEvents;
import org.khmerai.platform.audit.AuditPublisher;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code ./khmer-ai bench audit}: audit events offered at a fixed rate to a real local Kafka broker,
 * stored by the audit service (hash chain included) in a real local PostgreSQL, all on this machine.
 * A warm-up at the same rate is not counted, and the measured run starts once it is stored. Lag is each event's time of insert minus the time it
 * was produced; lost and duplicated compare what was sent with what was stored; every measured
 * ministry's chain is verified afterwards. Last line:
 * {@code audit_events_per_s=N lag_p99_ms=L lost=0 duplicated=0}, against the target of 10,000 events/s
 * sustained for 60 s with lag p99 under 1 s.
 */
public final class AuditBenchmark {

    private static final int TENANTS = 20;
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private static final Duration DRAIN = Duration.ofSeconds(120);

    private AuditBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = 12_000;
        int seconds = 60;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("khmer-ai-bench-audit");
        System.out.printf("bench audit: %d events/s offered for %d s (after a %d s warm-up), %d ministries; "
                + "Kafka, PostgreSQL and the audit service on this machine (%d cores)%n",
                rate, seconds, WARM_UP.toSeconds(), TENANTS, Runtime.getRuntime().availableProcessors());
        try (KafkaBroker kafka = KafkaBroker.start(work.resolve("kafka"), 0, 0);
             PostgresServer postgres = PostgresServer.start(work.resolve("pg"), work.resolve("pg-work"), 0)) {
            String url = postgres.database("khmer_ai_audit");
            // as command-line arguments, so that they override the service's own application.yaml
            try (ConfigurableApplicationContext audit = new SpringApplicationBuilder(AuditApplication.class).run(
                    "--spring.main.banner-mode=off",
                    "--logging.level.root=WARN",
                    "--spring.grpc.server.port=0",
                    "--khmer-ai.security.issuer-uri=http://127.0.0.1:9/realms/khmer-ai",
                    "--khmer-ai.audit.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--spring.datasource.url=" + url,
                    "--khmer-ai.chain.signing-key-file=" + work.resolve("checkpoint.key"));
                 KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                JdbcTemplate jdbc = audit.getBean(JdbcTemplate.class);
                long warmUp = offer(producer, "warm-up", rate, WARM_UP);
                awaitStored(jdbc, "warm-up-%", warmUp); // the measured run starts with nothing queued
                long sent = offer(producer, "ministry", rate, Duration.ofSeconds(seconds));
                report(jdbc, audit.getBean(ChainVerifier.class), sent);
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends {@code rate} events a second, paced every millisecond, to ministries named prefix-0..; returns how many. */
    private static long offer(KafkaProducer<String, byte[]> producer, String prefix, int rate, Duration duration) {
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        while (System.nanoTime() < end) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            for (; sent < due; sent++) {
                String tenant = prefix + "-" + (sent % TENANTS);
                AuditEvent event = AuditEvents.begin(Instant.now(), "bench", Edge.EDGE_SERVICE)
                        .setTenant(tenant).setPrincipal("service-account-portal").setClientId("portal")
                        .setMethod("khmer.segmentation.v1.SegmentationService/Segment").setStatus("OK")
                        .setLatencyMicros(850).setRequestBytes(120).setResponseBytes(900)
                        .setInput(AuditEvents.content(("បញ្ជី " + sent).getBytes())).build();
                producer.send(new ProducerRecord<>(AuditPublisher.TOPIC, tenant, event.toByteArray()),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        producer.flush();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " events could not be sent to Kafka");
        }
        return sent;
    }

    /** Waits until the events of the ministries named {@code pattern} are stored, or the drain time has passed. */
    private static long awaitStored(JdbcTemplate jdbc, String pattern, long sent) throws InterruptedException {
        Instant deadline = Instant.now().plus(DRAIN);
        long stored;
        while ((stored = jdbc.queryForObject("select count(*) from audit_event where tenant like ?", Long.class, pattern)) < sent
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        return stored;
    }

    private static void report(JdbcTemplate jdbc, ChainVerifier verifier, long sent) throws InterruptedException {
        long stored = awaitStored(jdbc, "ministry-%", sent);
        long distinct = count(jdbc, "select count(distinct id) from audit_event where tenant like 'ministry-%'");
        List<Double> lags = jdbc.queryForList("""
                select extract(epoch from (stored_at - occurred_at)) * 1000 from audit_event
                where tenant like 'ministry-%' order by 1""", Double.class);
        double seconds = jdbc.queryForObject("""
                select extract(epoch from (max(stored_at) - min(occurred_at))) from audit_event
                where tenant like 'ministry-%'""", Double.class);
        List<String> windows = jdbc.queryForList("""
                select round(percentile_cont(0.99) within group (order by extract(epoch from (stored_at - occurred_at)) * 1000))::text
                from audit_event where tenant like 'ministry-%'
                group by floor(extract(epoch from occurred_at) / 10) order by floor(extract(epoch from occurred_at) / 10)""", String.class);
        System.out.println("lag p99 ms by 10 s of production: " + String.join(" ", windows));
        boolean chainsValid = true;
        for (int t = 0; t < TENANTS; t++) {
            ChainVerifier.Verification verification = verifier.verify("ministry-" + t);
            chainsValid &= verification.valid();
        }
        double perSecond = stored / seconds;
        double p50 = lags.isEmpty() ? 0 : lags.get(lags.size() / 2);
        double p99 = lags.isEmpty() ? 0 : lags.get((int) Math.min(lags.size() - 1, Math.ceil(lags.size() * 0.99) - 1));
        System.out.printf("sent=%d stored=%d over %.1f s; lag p50 %.0f ms, max %.0f ms; %d chains valid: %s%n",
                sent, stored, seconds, p50, lags.isEmpty() ? 0 : lags.getLast(), TENANTS, chainsValid);
        System.out.printf("target: audit_events_per_s >= 10000 sustained 60 s, lag_p99_ms < 1000: %s%n",
                perSecond >= 10_000 && p99 < 1_000 && stored == sent ? "met" : "NOT met");
        System.out.printf("audit_events_per_s=%.0f lag_p99_ms=%.0f lost=%d duplicated=%d%n",
                perSecond, p99, Math.max(0, sent - distinct), stored - distinct);
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
