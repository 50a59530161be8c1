package org.khmerai.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Edge;
import org.khmerai.infrastructure.FreePorts;
import org.khmerai.infrastructure.KafkaBroker;
import org.khmerai.infrastructure.PostgresServer;
import org.khmerai.platform.audit.AuditEvents;
import org.khmerai.platform.audit.AuditPublisher;
import org.khmerai.platform.audit.AuditSpool;

/**
 * The audit trail when its parts fail. First 2,000 events are published through the platform's own
 * publisher while Kafka is unreachable, for more than 30 s; then Kafka and the audit service (from
 * its runnable jar, as in production) start, and with 20,000 more events flowing the audit service is
 * killed (SIGKILL) and started again, then its PostgreSQL restarted. Every event is stored exactly
 * once and every ministry's chain verifies (with {@code ./khmer-ai audit verify}'s command).
 * Second, Kafka (in a process of its own) is killed while 2,000 calls are audited and started again
 * 30 s later: again every event is stored exactly once and every chain verifies.
 */
class AuditResilienceIT {

    private static final int EVENTS = 20_000;
    private static final int WHILE_KAFKA_IS_AWAY = 2_000;
    private static final int BEFORE_KAFKA_DIES = 100;
    private static final int TENANTS = 10;
    private static final Duration STORED_WITHIN = Duration.ofMinutes(3);

    @Test
    void aCrashedAuditServiceAndARestartedDatabaseLoseAndDuplicateNothing() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "resilience-" + UUID.randomUUID()));
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path jar = Path.of(LocalStack.jars().getProperty("audit.jar"));
        int kafkaPort = FreePorts.free();
        AuditPublisher publisher = AuditPublisher.connect("127.0.0.1:" + kafkaPort, AuditPublisher.TOPIC, Duration.ofSeconds(2),
                AuditSpool.open(work.resolve("spool").resolve("gateway.spool"), 64 << 20));
        for (int i = 0; i < WHILE_KAFKA_IS_AWAY; i++) {
            publisher.publish(event(i));
        }
        assertThat(publisher.spoolDepth()).isEqualTo(WHILE_KAFKA_IS_AWAY);
        Thread.sleep(30_000);
        try (publisher; KafkaBroker kafka = KafkaBroker.start(work.resolve("kafka"), kafkaPort, 0)) {
            PostgresServer postgres = PostgresServer.start(work.resolve("pg"), work.resolve("pg-work"), 0);
            int pgPort = postgres.port();
            String url = postgres.database("khmer_ai_audit");
            int grpcPort = FreePorts.free();
            Map<String, String> environment = auditService(kafka.bootstrapServers(), url, grpcPort, work);
            ServiceProcess audit = ServiceProcess.start("audit", jar, environment, logs.resolve("audit-1.log"));
            try {
                audit.awaitListening(Duration.ofMinutes(2), grpcPort);
                CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(kafka.bootstrapServers()));

                awaitStored(url, EVENTS / 10); // killed while it is storing
                audit.kill();
                audit = ServiceProcess.start("audit", jar, environment, logs.resolve("audit-2.log"));
                audit.awaitListening(Duration.ofMinutes(2), grpcPort);

                awaitStored(url, EVENTS / 2);
                postgres.close();
                Thread.sleep(6_000);
                postgres = PostgresServer.start(work.resolve("pg"), work.resolve("pg-work"), pgPort);
                producing.get();

                long total = WHILE_KAFKA_IS_AWAY + EVENTS;
                awaitStored(url, total);
                assertThat(publisher.spoolDepth()).isZero();
                assertThat(Files.readString(logs.resolve("audit-2.log"))).as("the database was away while events came")
                        .contains("will read them again");
                assertThat(count(url, "select count(*) from audit_event")).isEqualTo(total);
                assertThat(count(url, "select count(distinct id) from audit_event")).isEqualTo(total);
                assertChainsVerify(jar, url, work, total / TENANTS);
            } finally {
                audit.close();
                postgres.close();
            }
        }
    }

    @Test
    void kafkaKilledWhileCallsAreAuditedAndStartedAgain30sLaterLosesAndDuplicatesNothing() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "kafka-restart-" + UUID.randomUUID()));
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path jar = Path.of(LocalStack.jars().getProperty("audit.jar"));
        int kafkaPort = FreePorts.free();
        int controllerPort = FreePorts.free();
        int grpcPort = FreePorts.free();
        ServiceProcess kafka = ServiceProcess.kafka(work.resolve("kafka"), kafkaPort, controllerPort, logs.resolve("kafka-1.log"));
        try (PostgresServer postgres = PostgresServer.start(work.resolve("pg"), work.resolve("pg-work"), 0);
             AuditPublisher publisher = AuditPublisher.connect("127.0.0.1:" + kafkaPort, AuditPublisher.TOPIC, Duration.ofSeconds(2),
                     AuditSpool.open(work.resolve("spool").resolve("gateway.spool"), 64 << 20))) {
            kafka.awaitListening(Duration.ofMinutes(1), kafkaPort);
            String url = postgres.database("khmer_ai_audit");
            try (ServiceProcess audit = ServiceProcess.start("audit", jar, auditService("127.0.0.1:" + kafkaPort, url, grpcPort, work),
                    logs.resolve("audit.log"))) {
                audit.awaitListening(Duration.ofMinutes(2), grpcPort);
                for (int i = 0; i < BEFORE_KAFKA_DIES; i++) {
                    publisher.publish(event(i));
                }
                awaitStored(url, BEFORE_KAFKA_DIES);

                kafka.kill();
                for (int i = 0; i < WHILE_KAFKA_IS_AWAY; i++) {
                    publisher.publish(event(BEFORE_KAFKA_DIES + i)); // as the gateway does for each call
                    if (i % 100 == 99) {
                        Thread.sleep(100);
                    }
                }
                Thread.sleep(30_000);
                assertThat(count(url, "select count(*) from audit_event")).as("nothing arrives while Kafka is away")
                        .isEqualTo(BEFORE_KAFKA_DIES);
                assertThat(publisher.spoolDepth()).as("what Kafka did not take waits in the spool").isPositive();
                kafka = ServiceProcess.kafka(work.resolve("kafka"), kafkaPort, controllerPort, logs.resolve("kafka-2.log"));
                kafka.awaitListening(Duration.ofMinutes(1), kafkaPort);

                long total = BEFORE_KAFKA_DIES + WHILE_KAFKA_IS_AWAY;
                awaitStored(url, total);
                awaitSpoolForwarded(publisher);
                Thread.sleep(3_000); // a duplicate would arrive now
                assertThat(count(url, "select count(*) from audit_event")).isEqualTo(total);
                assertThat(count(url, "select count(distinct id) from audit_event")).isEqualTo(total);
                assertChainsVerify(jar, url, work, total / TENANTS);
            }
        } finally {
            kafka.close();
        }
    }

    private static Map<String, String> auditService(String kafka, String databaseUrl, int grpcPort, Path work) {
        return Map.of(
                "KHMER_AI_AUDIT_BOOTSTRAP_SERVERS", kafka,
                "KHMER_AI_SECURITY_ISSUER_URI", "http://127.0.0.1:9/realms/khmer-ai", // never contacted here
                "SPRING_DATASOURCE_URL", databaseUrl,
                "SPRING_DATASOURCE_USERNAME", "postgres",
                "SPRING_DATASOURCE_PASSWORD", "postgres",
                "SPRING_GRPC_SERVER_PORT", String.valueOf(grpcPort),
                "KHMER_AI_CHAIN_SIGNING_KEY_FILE", work.resolve("checkpoint.key").toString(),
                "KHMER_AI_AUDIT_SPOOL_DIR", work.resolve("audit-spool").toString(),
                // fail fast while the database is away, so that the consumer's retry is what brings it through
                // (CONNECTIONTIMEOUT in one word: CONNECTION_TIMEOUT would bind hikari.connection and start the pool)
                "SPRING_DATASOURCE_HIKARI_CONNECTIONTIMEOUT", "2000");
    }

    /** Every ministry's chain, checked with the command behind {@code ./khmer-ai audit verify}. */
    private static void assertChainsVerify(Path jar, String url, Path work, long recordsEach) throws Exception {
        for (int t = 0; t < TENANTS; t++) {
            Path log = work.resolve("logs").resolve("verify-" + t + ".log");
            Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--sun-misc-unsafe-memory-access=allow",
                    "-Dloader.main=org.khmerai.audit.chain.VerifyCommand", "-cp", jar.toString(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher",
                    "--tenant", "resilience-" + t, "--jdbc-url", url, "--key", work.resolve("checkpoint.key").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(verify.waitFor()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("valid=true records_checked=" + recordsEach);
        }
    }

    private static void awaitSpoolForwarded(AuditPublisher publisher) throws InterruptedException {
        Instant deadline = Instant.now().plus(STORED_WITHIN);
        while (publisher.spoolDepth() > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(publisher.spoolDepth() + " events still in the spool after " + STORED_WITHIN);
            }
            Thread.sleep(100);
        }
    }

    /** 20,000 events of 10 ministries at about 2,000 a second. */
    private static void produce(String bootstrapServers) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> acknowledged = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                AuditEvent event = event(i);
                acknowledged.add(producer.send(new ProducerRecord<>(AuditPublisher.TOPIC, event.getTenant(), event.toByteArray())));
                if (i % 200 == 199) {
                    Thread.sleep(100);
                }
            }
            for (var each : acknowledged) {
                each.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing the test's events failed", e);
        }
    }

    private static AuditEvent event(int i) {
        return AuditEvents.begin(Instant.now(), "test", Edge.EDGE_SERVICE).setTenant("resilience-" + (i % TENANTS))
                .setPrincipal("portal").setMethod("khmer.segmentation.v1.SegmentationService/Segment").setStatus("OK").build();
    }

    private static void awaitStored(String url, long events) throws Exception {
        Instant deadline = Instant.now().plus(STORED_WITHIN);
        long stored = 0;
        while (Instant.now().isBefore(deadline)) {
            try {
                stored = count(url, "select count(*) from audit_event");
                if (stored >= events) {
                    return;
                }
            } catch (SQLException starting) {
                // PostgreSQL may still be coming back
            }
            Thread.sleep(100);
        }
        throw new AssertionError(stored + " of " + events + " events stored within " + STORED_WITHIN);
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres");
             ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
