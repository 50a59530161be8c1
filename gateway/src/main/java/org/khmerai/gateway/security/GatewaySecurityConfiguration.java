package org.khmerai.gateway.security;

import java.time.Clock;
import org.khmerai.gateway.audit.RestAuditFilter;
import org.khmerai.gateway.backend.GatewayProperties;
import org.khmerai.gateway.problem.Problems;
import org.khmerai.gateway.problem.RequestSizeLimitFilter;
import org.khmerai.platform.audit.AuditPublisher;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The REST edge is an OAuth2 resource server: every {@code /api/**} call needs a Keycloak token
 * that {@link org.khmerai.platform.security.TokenVerifier} accepts. Which roles may call which API
 * is decided per contract, in the transcoder, the same way the gRPC edge decides it.
 */
@Configuration(proxyBeanMethods = false)
public class GatewaySecurityConfiguration {

    /** Outermost: the audit filter sees every exchange, whatever answers it. */
    static final int AUDIT_ORDER = SecurityFilterProperties.DEFAULT_FILTER_ORDER - 20;
    /** Before the token check: an oversized body is refused unread. */
    static final int SIZE_LIMIT_ORDER = SecurityFilterProperties.DEFAULT_FILTER_ORDER - 10;

    @Bean
    SecurityFilterChain api(HttpSecurity http, Problems problems) throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems);
        return http.securityMatcher("/api/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // bearer tokens only, no cookies: nothing for a cross-site request to ride on
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .build();
    }

    @Bean
    SecurityFilterChain probes(HttpSecurity http) throws Exception {
        return http.securityMatcher("/actuator/health/**", "/actuator/health", "/actuator/info")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    @Bean
    FilterRegistrationBean<RestAuditFilter> restAuditFilter(AuditPublisher publisher) {
        FilterRegistrationBean<RestAuditFilter> registration =
                new FilterRegistrationBean<>(new RestAuditFilter(publisher, Clock.systemUTC()));
        registration.setOrder(AUDIT_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(GatewayProperties properties, Problems problems) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(properties.maxRequestSize().toBytes(), problems));
        registration.setOrder(SIZE_LIMIT_ORDER);
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
