package org.khmerai.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.khmerai.llm.LlmProperties;
import org.khmerai.model.ModelServer;
import org.khmerai.translation.TranslationProperties;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and docker-compose.gpu.yml, read as Docker Compose reads them (YAML, merge keys,
 * the override's environment added to the base's): this machine has no Docker engine to start them.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..");
    private static final Map<String, String> SERVICE_MODULES = Map.of("segmentation", "segmentation-service", "llm", "llm-service",
            "translation", "translation-service", "audit", "audit-service", "gateway", "gateway");

    private final Map<String, Object> base = compose("docker-compose.yml");
    private final Map<String, Object> gpu = compose("docker-compose.gpu.yml");

    @Test
    void eachServiceIsBuiltFromItsModulesJarAndKeepsItsAuditSpoolOnAVolume() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("COPY ${SERVICE}/target/${SERVICE}-*-exec.jar").contains("USER 10001");

        SERVICE_MODULES.forEach((service, module) -> {
            assertThat(ROOT.resolve(module).resolve("pom.xml")).as(module).exists();
            assertThat(path(base, "services", service, "build", "args", "SERVICE")).as(service).isEqualTo(module);
            assertThat(list(base, "services", service, "volumes")).as(service).contains(service + "-spool:/app/spool");
        });
    }

    @Test
    void theInfrastructureIsTheVersionTheTestsRunAgainst() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));

        assertThat(path(base, "services", "keycloak", "image")).isEqualTo("quay.io/keycloak/keycloak:" + property(pom, "keycloak.version"));
        assertThat(path(base, "services", "kafka", "image")).isEqualTo("apache/kafka:" + property(pom, "kafka.version"));
        assertThat(path(base, "services", "postgres", "image")).isEqualTo("postgres:" + property(pom, "postgres-binaries.version").split("\\.")[0]);
    }

    @Test
    void theRealmIsImportedAndEveryServicesDatabaseIsCreated() throws IOException {
        for (String service : List.of("keycloak", "postgres")) {
            for (String volume : list(base, "services", service, "volumes")) {
                if (volume.startsWith("./")) {
                    assertThat(ROOT.resolve(volume.substring(2, volume.indexOf(':')))).as(volume).exists();
                }
            }
        }
        String databases = Files.readString(ROOT.resolve("compose/create-databases.sql"));
        for (String service : List.of("segmentation", "translation", "audit")) {
            String url = environment(base, service).get("SPRING_DATASOURCE_URL");
            assertThat(databases).as(url).contains("CREATE DATABASE " + url.substring(url.lastIndexOf('/') + 1) + ";");
        }
    }

    @Test
    void tokensIssuedToTheHostAreCheckedWithKeysFetchedInsideTheNetwork() {
        Map<String, String> services = environment(base, "gateway");
        Map<String, String> keycloak = environment(base, "keycloak");

        assertThat(services.get("KHMER_AI_SECURITY_ISSUER_URI")).isEqualTo(keycloak.get("KC_HOSTNAME") + "/realms/khmer-ai");
        assertThat(URI.create(services.get("KHMER_AI_SECURITY_JWK_SET_URI")).getHost()).isEqualTo("keycloak");
        assertThat(list(base, "services", "keycloak", "ports")).contains("8180:8080");
    }

    @Test
    void theGatewayReachesEachServiceOnThePortItServesOn() {
        Map<String, String> gateway = environment(base, "gateway");

        for (String backend : List.of("segmentation", "llm", "translation", "audit")) {
            String address = gateway.get("KHMER_AI_GATEWAY_BACKENDS_" + backend.toUpperCase() + "_ADDRESS");
            assertThat(address).isEqualTo(backend + ":" + environment(base, backend).get("SPRING_GRPC_SERVER_PORT"));
        }
        assertThat(list(base, "services", "gateway", "ports")).containsExactly("8080:8080", "9090:9090");
    }

    @Test
    void withTheGpuFileTheServicesBindTheirModelServersAsTheyWould() {
        LlmProperties llm = new ServiceEnvironment(merged("llm")).bind("khmer-ai.llm", LlmProperties.class);
        TranslationProperties translation = new ServiceEnvironment(merged("translation")).bind("khmer-ai.translation",
                TranslationProperties.class);

        assertThat(llm.defaultModel()).isEqualTo("sealion");
        assertThat(translation.defaultModel()).isEqualTo("translate");
        // each url names a model server of the GPU file, started with the model the service asks it for
        for (ModelServer server : List.of(llm.servers().getFirst(), translation.servers().getFirst())) {
            String host = server.url().getHost();
            assertThat(list(gpu, "services", host, "command")).as(host).containsSequence("--model", server.model())
                    .containsSequence("--port", String.valueOf(server.url().getPort()));
        }
    }

    /** A service's environment with the GPU file's added, as Compose merges two files. */
    private Map<String, String> merged(String service) {
        Map<String, String> environment = new LinkedHashMap<>(environment(base, service));
        environment.putAll(environment(gpu, service));
        return environment;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> compose, String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        ((Map<String, Object>) path(compose, "services", service, "environment")).forEach((name, value) ->
                environment.put(name, String.valueOf(value)));
        return environment;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> compose, String... keys) {
        return (List<String>) path(compose, keys);
    }

    private static Object path(Map<String, Object> compose, String... keys) {
        return Manifests.path(compose, keys);
    }

    private static String property(String pom, String name) {
        Matcher value = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(value.find()).as(name).isTrue();
        return value.group(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose(String file) {
        try {
            return (Map<String, Object>) new Yaml().load(Files.readString(ROOT.resolve(file)));
        } catch (IOException e) {
            throw new IllegalStateException(file, e);
        }
    }
}
