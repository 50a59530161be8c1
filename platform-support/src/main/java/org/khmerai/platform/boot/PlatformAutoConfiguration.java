package org.khmerai.platform.boot;

import io.grpc.netty.NettyServerBuilder;
import java.time.Clock;
import java.util.concurrent.Executors;
import org.khmerai.platform.audit.AuditAdmission;
import org.khmerai.platform.audit.AuditPublisher;
import org.khmerai.platform.audit.AuditSpool;
import org.khmerai.platform.audit.AuditSpoolMetrics;
import org.khmerai.platform.audit.AuditServerInterceptor;
import org.khmerai.platform.security.AccessPolicy;
import org.khmerai.platform.security.JwtServerInterceptor;
import org.khmerai.platform.security.RealmKeys;
import org.khmerai.platform.security.TokenVerifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.ServerBuilderCustomizer;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * What every platform service gets by depending on platform-support: its gRPC calls audited
 * (outermost) and admitted only with a valid token and a role the contract allows.
 */
@AutoConfiguration
@EnableConfigurationProperties({PlatformSecurityProperties.class, PlatformAuditProperties.class})
public class PlatformAutoConfiguration {

    /**
     * Every call on a virtual thread of its own: a chat stream holds its thread while it reads the
     * model server's answer, and a parked virtual thread costs next to nothing, where hundreds of
     * platform threads would each cost a kernel thread and its switches.
     */
    @Bean
    ServerBuilderCustomizer<NettyServerBuilder> callsOnVirtualThreads() {
        return builder -> builder.executor(Executors.newVirtualThreadPerTaskExecutor());
    }

    @Bean
    AccessPolicy accessPolicy() {
        return AccessPolicy.ofPlatformContracts();
    }

    /** One copy of the realm's keys for everything in the process that checks tokens. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RealmKeys realmKeys(PlatformSecurityProperties properties) {
        return new RealmKeys(properties.toTokenProperties());
    }

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(PlatformSecurityProperties properties, RealmKeys keys) {
        return TokenVerifier.decoder(properties.toTokenProperties(), keys);
    }

    @Bean
    TokenVerifier tokenVerifier(JwtDecoder decoder) {
        return new TokenVerifier(decoder);
    }

    @Bean(destroyMethod = "close")
    AuditPublisher auditPublisher(PlatformAuditProperties properties, Environment environment) {
        AuditSpool spool = AuditSpool.open(properties.spoolDir().resolve(serviceName(properties, environment) + ".spool"),
                properties.spoolMaxSize().toBytes());
        return AuditPublisher.connect(properties.bootstrapServers(), properties.topic(), properties.maxBlock(), spool);
    }

    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE + 100)
    AuditServerInterceptor auditServerInterceptor(AuditPublisher publisher, PlatformAuditProperties properties,
                                                  AccessPolicy access, Environment environment) {
        return new AuditServerInterceptor(publisher, serviceName(properties, environment), properties.edge(), access,
                Clock.systemUTC());
    }

    private static String serviceName(PlatformAuditProperties properties, Environment environment) {
        return properties.service() != null ? properties.service() : environment.getRequiredProperty("spring.application.name");
    }

    /** Bound by Spring Boot's metrics support where the service has it. */
    @Bean
    AuditSpoolMetrics auditSpoolMetrics(AuditPublisher publisher, PlatformAuditProperties properties, Environment environment) {
        return new AuditSpoolMetrics(publisher, serviceName(properties, environment));
    }

    @Bean
    AuditAdmission auditAdmission(AuditPublisher publisher, PlatformAuditProperties properties) {
        return new AuditAdmission(publisher, properties.whenSpoolFull(), properties.whenSpoolFullByTenant());
    }

    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE + 200)
    JwtServerInterceptor jwtServerInterceptor(TokenVerifier verifier, AccessPolicy access, AuditAdmission admission) {
        return new JwtServerInterceptor(verifier, access, admission);
    }
}
