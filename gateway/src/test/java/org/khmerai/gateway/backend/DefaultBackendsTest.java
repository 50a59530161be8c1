package org.khmerai.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.khmerai.platform.security.PlatformContracts;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

/** The gateway's own defaults route every contract the platform serves to a backend. */
class DefaultBackendsTest {

    @Test
    void everyContractHasABackend() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("defaults", new ClassPathResource("application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        Map<String, GatewayProperties.Backend> backends = Binder.get(environment)
                .bind("khmer-ai.gateway.backends", Bindable.mapOf(String.class, GatewayProperties.Backend.class)).get();

        List<String> routed = backends.values().stream().flatMap(backend -> backend.services().stream()).toList();
        assertThat(routed).containsExactlyInAnyOrderElementsOf(
                PlatformContracts.services().stream().map(ServiceDescriptor::getFullName).toList());

        GatewayProperties gateway = new GatewayProperties(backends, DataSize.ofMegabytes(1), Duration.ofSeconds(30), Duration.ofMinutes(5));
        assertThat(gateway.backendTimeout("khmer.llm.v1.ChatService")).as("a whole chat answer over REST")
                .isEqualTo(Duration.ofSeconds(120));
        assertThat(gateway.backendTimeout("khmer.translation.v1.TranslationService")).isEqualTo(Duration.ofSeconds(120));
        assertThat(gateway.backendTimeout("khmer.segmentation.v1.SegmentationService")).isEqualTo(Duration.ofSeconds(30));
        assertThat(backends.values()).as("connections to each backend, unless set").extracting(GatewayProperties.Backend::connections)
                .containsOnly(4);
    }
}
