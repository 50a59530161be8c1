package org.khmerai.gateway.grpc;

import io.grpc.BindableService;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.List;
import org.khmerai.gateway.backend.GatewayProperties;
import org.khmerai.gateway.backend.ServiceChannels;
import org.khmerai.platform.audit.AuditServerInterceptor;
import org.khmerai.platform.security.JwtServerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/** The gRPC edge: Spring gRPC's server on port 9090, with every contract served by the {@link GrpcProxy}. */
@Configuration(proxyBeanMethods = false)
public class GrpcEdgeConfiguration {

    @Bean(destroyMethod = "close")
    ServiceChannels serviceChannels(GatewayProperties properties) {
        return new ServiceChannels(properties.backends());
    }

    @Bean
    GrpcProxy grpcProxy(ServiceChannels channels, AuditServerInterceptor audit, JwtServerInterceptor tokens) {
        return new GrpcProxy(channels, List.of(audit, tokens));
    }

    /**
     * The edge's own health service. Declared here, not left to Spring gRPC's auto-configuration,
     * because the gRPC server starts only when a service bean exists, and the proxy is none.
     */
    @Bean(destroyMethod = "enterTerminalState")
    HealthStatusManager edgeHealth() {
        return new HealthStatusManager();
    }

    @Bean
    BindableService edgeHealthService(HealthStatusManager health) {
        return health.getHealthService();
    }

    @Bean
    ServerBuilderCustomizer<NettyServerBuilder> grpcEdge(GrpcProxy proxy) {
        return builder -> builder.fallbackHandlerRegistry(proxy);
    }
}
