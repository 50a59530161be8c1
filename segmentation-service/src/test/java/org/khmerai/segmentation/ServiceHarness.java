package org.khmerai.segmentation;

import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
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
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.khmerai.infrastructure.PostgresServer;
import org.khmerai.platform.security.Caller;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service's own Spring context on a real PostgreSQL, its gRPC services reached over an
 * in-process channel whose calls carry the tenant a test names, as if a verified token had said
 * so (tokens themselves are checked end to end in local-stack's PlatformIT).
 */
@SpringBootTest(properties = {
        "spring.grpc.server.port=0",
        // never contacted: calls reach the services through the in-process channel below
        "khmer-ai.security.issuer-uri=http://127.0.0.1:9/realms/khmer-ai",
        "khmer-ai.audit.bootstrap-servers=127.0.0.1:9"})
abstract class ServiceHarness {

    private static final Metadata.Key<String> TENANT = Metadata.Key.of("test-tenant", Metadata.ASCII_STRING_MARSHALLER);

    @Autowired
    private List<BindableService> services;
    private Server server;
    private ManagedChannel channel;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PostgresServer.testDatabase("khmer_ai_segmentation"));
    }

    @BeforeEach
    void serve() throws IOException {
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
        services.forEach(service -> builder.addService(ServerInterceptors.intercept(service, new TestCaller())));
        server = builder.build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stopServing() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    /** A channel on which every call is made by an administrator of {@code tenant}. */
    Channel as(String tenant) {
        Metadata headers = new Metadata();
        headers.put(TENANT, tenant);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** A channel on which calls carry no caller, as the service would see them without platform-support. */
    Channel anonymous() {
        return channel;
    }

    private static final class TestCaller implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String tenant = headers.get(TENANT);
            if (tenant == null) {
                return next.startCall(call, headers);
            }
            Caller caller = new Caller("admin-of-" + tenant, tenant, "test", Set.of("admin", "segmentation-user"), "unused");
            return Contexts.interceptCall(caller.attachTo(Context.current()), call, headers, next);
        }
    }
}
