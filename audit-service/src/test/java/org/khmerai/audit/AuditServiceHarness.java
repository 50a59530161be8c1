package org.khmerai.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.khmerai.infrastructure.KafkaBroker;
import org.khmerai.infrastructure.PostgresServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The audit service's Spring context on a real Kafka broker and a real PostgreSQL, started once for
 * every test class of this module and stopped when the JVM ends.
 */
@SpringBootTest(properties = {
        "spring.grpc.server.port=0",
        // never contacted: these tests call the gRPC services with a caller already in the gRPC context
        "khmer-ai.security.issuer-uri=http://127.0.0.1:9/realms/khmer-ai",
        // the tests sign checkpoints when they want them
        "khmer-ai.chain.checkpoint-interval=1h"})
abstract class AuditServiceHarness {

    static KafkaBroker kafka;
    static PostgresServer postgres;
    private static String databaseUrl;
    private static Path signingKey;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        start();
        registry.add("khmer-ai.audit.bootstrap-servers", kafka::bootstrapServers);
        registry.add("spring.datasource.url", () -> databaseUrl);
        registry.add("khmer-ai.chain.signing-key-file", signingKey::toString);
    }

    private static synchronized void start() throws Exception {
        if (kafka != null) {
            return;
        }
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "infrastructure");
        kafka = KafkaBroker.start(work.resolve("kafka"), 0, 0);
        postgres = PostgresServer.start(work.resolve("pg"), work.resolve("pg-work"), 0);
        databaseUrl = postgres.database("khmer_ai_audit");
        signingKey = work.resolve("keys").resolve("checkpoint.key");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kafka.close();
                postgres.close();
            } catch (Exception ignored) {
                // the JVM is ending
            }
        }));
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited 30 s for the audit service");
            }
            Thread.sleep(200);
        }
    }
}
