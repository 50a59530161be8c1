package org.khmerai.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.khmerai.platform.security.PlatformContracts;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

/** The gateway's own defaults route every contract the platform serves to a backend, over settings checked as they load. */
class DefaultBackendsTest {

    @Test
    void everyContractHasABackend() throws IOException {
        Map<String, GatewayProperties.Backend> backends = backends(Map.of());

        List<String> routed = backends.values().stream().flatMap(backend -> backend.services().stream()).toList();
        assertThat(routed).containsExactlyInAnyOrderElementsOf(
                PlatformContracts.services().stream().map(ServiceDescriptor::getFullName).toList());

        GatewayProperties gateway = new GatewayProperties(backends, DataSize.ofMegabytes(1), Duration.ofSeconds(30), Duration.ofMinutes(5));
        assertThat(gateway.backendTimeout("khmer.llm.v1.ChatService")).as("a whole chat answer over REST")
                .isEqualTo(Duration.ofSeconds(120));
        assertThat(gateway.backendTimeout("khmer.translation.v1.TranslationService")).isEqualTo(Duration.ofSeconds(120));
        assertThat(gateway.backendTimeout("khmer.segmentation.v1.SegmentationService")).isEqualTo(Duration.ofSeconds(30));
        assertThat(backends.values()).as("connections to each backend, unless set").extracting(GatewayProperties.Backend::connections)
                .containsOnly(1);
    }

    @Test
    void connectionsAreSetPerBackend() throws IOException {
        assertThat(backends(Map.of("khmer-ai.gateway.backends.llm.connections", "3")).get("llm").connections()).isEqualTo(3);
    }

    @Test
    void aBackendWithoutConnectionsIsRefusedWhenTheSettingsLoad() {
        assertThatThrownBy(() -> backends(Map.of("khmer-ai.gateway.backends.llm.connections", "0")))
                .isInstanceOf(BindException.class).hasMessageContaining("khmer-ai.gateway.backends.llm")
                .rootCause().hasMessage("a backend's connections must be at least 1, not 0");
    }

    /** The backends as the gateway binds them: its defaults, under the given settings. */
    private static Map<String, GatewayProperties.Backend> backends(Map<String, Object> settings) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("settings", settings));
        new YamlPropertySourceLoader().load("defaults", new ClassPathResource("application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment)
                .bind("khmer-ai.gateway.backends", Bindable.mapOf(String.class, GatewayProperties.Backend.class)).get();
    }
}
