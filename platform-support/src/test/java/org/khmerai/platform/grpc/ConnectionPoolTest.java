package org.khmerai.platform.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A pool's calls reach the server over its connections in turn, every one of them used alike. */
class ConnectionPoolTest {

    private final List<SocketAddress> callers = new CopyOnWriteArrayList<>();
    private Server server;

    @BeforeEach
    void start() throws Exception {
        ServerInterceptor recordCaller = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                callers.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
                return next.startCall(call, headers);
            }
        };
        server = NettyServerBuilder.forPort(0)
                .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), recordCaller))
                .build().start();
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void callsTakeTheConnectionsInTurn() throws Exception {
        try (ConnectionPool pool = new ConnectionPool(4, this::connect)) {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(pool);
            for (int i = 0; i < 12; i++) {
                assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus().name()).isEqualTo("SERVING");
            }
        }
        Map<SocketAddress, Long> callsByConnection = callers.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(callsByConnection).hasSize(4).allSatisfy((connection, calls) -> assertThat(calls).isEqualTo(3));
    }

    @Test
    void aPoolOfOneIsOneConnection() throws Exception {
        try (ConnectionPool pool = new ConnectionPool(1, this::connect)) {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(pool);
            health.check(HealthCheckRequest.getDefaultInstance());
            health.check(HealthCheckRequest.getDefaultInstance());
            assertThat(pool.authority()).isEqualTo("127.0.0.1:" + server.getPort());
        }
        assertThat(callers).hasSize(2).containsOnly(callers.getFirst());
    }

    @Test
    void aPoolNeedsAConnection() {
        assertThatThrownBy(() -> new ConnectionPool(0, this::connect)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one connection");
    }

    private ManagedChannel connect() {
        return NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }
}
