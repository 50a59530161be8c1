package org.khmerai.translation;

import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.khmerai.audit.v1.PolicyRule;
import org.khmerai.audit.v1.PolicySnapshot;
import org.khmerai.infrastructure.Await;
import org.khmerai.infrastructure.FakeModelServer;
import org.khmerai.infrastructure.KafkaBroker;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.khmerai.infrastructure.PostgresServer;
import org.khmerai.platform.security.Caller;
import org.khmerai.policy.PolicyFeed;
import org.khmerai.policy.PolicyTopic;
import org.khmerai.translation.v1.GlossaryServiceGrpc;
import org.khmerai.translation.v1.TranslationMemoryServiceGrpc;
import org.khmerai.translation.v1.TranslationServiceGrpc;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service's own Spring context on a real PostgreSQL and a real Kafka (audit events, the
 * ministries' policy rules), its gRPC services reached over an
 * in-process channel whose calls carry the ministry a test names, as if a verified token had said
 * so (tokens themselves are checked end to end in local-stack's PlatformIT). No model server is
 * configured here; a test class that wants them adds {@code khmer-ai.translation.servers}.
 */
@SpringBootTest(properties = {
        "spring.grpc.server.port=0",
        // never contacted: calls reach the services through the in-process channel below
        "khmer-ai.security.issuer-uri=http://127.0.0.1:9/realms/khmer-ai"})
abstract class TranslationHarness {

    private static final Metadata.Key<String> TENANT = Metadata.Key.of("test-tenant", Metadata.ASCII_STRING_MARSHALLER);

    private static final AtomicLong REVISIONS = new AtomicLong();

    @Autowired
    private List<BindableService> services;
    @Autowired
    private PolicyFeed policies;
    private Server server;
    private ManagedChannel channel;

    @DynamicPropertySource
    static void databaseAndSpool(DynamicPropertyRegistry registry) throws IOException {
        registry.add("spring.datasource.url", () -> PostgresServer.testDatabase("khmer_ai_translation"));
        registry.add("khmer-ai.audit.bootstrap-servers", KafkaBroker::forTests);
        // each test class's context publishes through its own spool, which it holds while it lives
        Path spool = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "spool");
        registry.add("khmer-ai.audit.spool-dir", spool::toString);
    }

    /** Configures {@code server} as model server {@code index} of the alias "translate", the default. */
    static String modelServer(DynamicPropertyRegistry registry, int index, String name, FakeModelServer server, String model) {
        String prefix = "khmer-ai.translation.servers[" + index + "].";
        registry.add(prefix + "alias", () -> "translate");
        registry.add(prefix + "name", () -> name);
        registry.add(prefix + "url", () -> server.url().toString());
        registry.add(prefix + "model", () -> model);
        registry.add("khmer-ai.translation.default-model", () -> "translate");
        return prefix;
    }

    @BeforeEach
    void serve() throws IOException {
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
        services.forEach(service -> builder.addService(ServerInterceptors.intercept(service, new TestCaller())));
        server = builder.build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stopServing() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    /** Publishes a ministry's rules as the audit service does, and waits until the service enforces them. */
    void enforce(String tenant, PolicyRule... rules) throws Exception {
        PolicySnapshot snapshot = PolicySnapshot.newBuilder().setTenant(tenant).setRevision(REVISIONS.incrementAndGet())
                .addAllRules(List.of(rules)).build();
        try (Producer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBroker.forTests()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(PolicyTopic.NAME, tenant, snapshot.toByteArray())).get(10, TimeUnit.SECONDS);
        }
        Await.until("the service to read the rules of " + tenant, Duration.ofSeconds(15),
                () -> policies.revisionOf(tenant) >= snapshot.getRevision());
    }

    /** A channel on which every call is made by a translator and administrator of {@code tenant}. */
    Channel as(String tenant) {
        Metadata headers = new Metadata();
        headers.put(TENANT, tenant);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** The translation service, as a translator of {@code tenant}, with a deadline that ends a test that would hang. */
    TranslationServiceGrpc.TranslationServiceBlockingStub translation(String tenant) {
        return TranslationServiceGrpc.newBlockingStub(as(tenant)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    GlossaryServiceGrpc.GlossaryServiceBlockingStub glossary(String tenant) {
        return GlossaryServiceGrpc.newBlockingStub(as(tenant));
    }

    TranslationMemoryServiceGrpc.TranslationMemoryServiceBlockingStub memory(String tenant) {
        return TranslationMemoryServiceGrpc.newBlockingStub(as(tenant));
    }

    private static final class TestCaller implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String tenant = headers.get(TENANT);
            Caller caller = new Caller("translator-of-" + tenant, tenant, "test", Set.of("translator", "admin"), "unused");
            return Contexts.interceptCall(caller.attachTo(io.grpc.Context.current()), call, headers, next);
        }
    }
}
