package org.khmerai.gateway.backend;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code khmer-ai.gateway.*}.
 *
 * @param backends       the services behind the gateway by name, for example
 *                       {@code KHMER_AI_GATEWAY_BACKENDS_SEGMENTATION_ADDRESS=127.0.0.1:9091}
 * @param maxRequestSize the largest REST body accepted; larger ones get 413
 * @param backendTimeout the deadline of a REST call to a backend that sets none of its own
 * @param streamTimeout  the deadline of a REST call answered as an event stream (a chat answer, for example)
 */
@ConfigurationProperties("khmer-ai.gateway")
public record GatewayProperties(
        Map<String, Backend> backends,
        @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue("30s") Duration backendTimeout,
        @DefaultValue("5m") Duration streamTimeout) {

    /**
     * @param address  host:port of the service's gRPC server
     * @param services the full names of the contracts it serves
     * @param timeout  the deadline of a REST call to it, where its calls may take longer than
     *                 {@code backend-timeout} (a whole chat answer); absent for the default
     * @param connections how many HTTP/2 connections its calls are spread over, taken in turn: each
     *                 connection's streams are carried by one event loop thread on either side, and behind a
     *                 Kubernetes Service address each connection reaches one of the service's replicas, so
     *                 set it to about their number there. One unless set: on the local stack's two cores,
     *                 four did no better for bench chat-relay's first tokens (see the README)
     */
    public record Backend(String address, List<String> services, Duration timeout, @DefaultValue("1") int connections) {

        public Backend {
            if (connections < 1) {
                throw new IllegalArgumentException("a backend's connections must be at least 1, not " + connections);
            }
        }
    }

    /** The deadline of a REST call to the backend that serves {@code fullServiceName}. */
    public Duration backendTimeout(String fullServiceName) {
        return backends.values().stream().filter(backend -> backend.services().contains(fullServiceName) && backend.timeout() != null)
                .map(Backend::timeout).findFirst().orElse(backendTimeout);
    }
}
