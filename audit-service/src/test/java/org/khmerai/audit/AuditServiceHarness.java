package org.khmerai.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.khmerai.infrastructure.Await;
import org.khmerai.infrastructure.KafkaBroker;
import org.khmerai.infrastructure.PostgresServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The audit service's Spring context on a real Kafka broker and a real PostgreSQL, each started once
 * for the module's tests ({@link KafkaBroker#forTests}, {@link PostgresServer#testDatabase}) and
 * stopped when the JVM ends.
 */
@SpringBootTest(properties = {
        "spring.grpc.server.port=0",
        // never contacted: these tests call the gRPC services with a caller already in the gRPC context
        "khmer-ai.security.issuer-uri=http://127.0.0.1:9/realms/khmer-ai",
        // the tests sign checkpoints when they want them
        "khmer-ai.chain.checkpoint-interval=1h"})
abstract class AuditServiceHarness {

    private static Path signingKey;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        registry.add("khmer-ai.audit.bootstrap-servers", KafkaBroker::forTests);
        registry.add("spring.datasource.url", () -> PostgresServer.testDatabase("khmer_ai_audit"));
        registry.add("khmer-ai.chain.signing-key-file", AuditServiceHarness::signingKey);
    }

    private static synchronized String signingKey() {
        try {
            if (signingKey == null) {
                signingKey = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "keys").resolve("checkpoint.key");
            }
            return signingKey.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Await.until("the audit service", Duration.ofSeconds(30), condition);
    }
}
