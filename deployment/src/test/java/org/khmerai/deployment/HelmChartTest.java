package org.khmerai.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.khmerai.llm.LlmProperties;
import org.khmerai.model.ModelServer;
import org.khmerai.translation.TranslationProperties;
import org.yaml.snakeyaml.Yaml;

/** The chart in helm/khmer-ai, linted and rendered by Helm's own library, as helm lint and helm template would. */
class HelmChartTest {

    private static final Path CHART = Path.of("..", "helm", "khmer-ai");
    private static final List<String> SERVICES = List.of("segmentation", "llm", "translation", "audit", "gateway");
    /** The chart's values with values.yaml's MADLAD-400 example taken up. */
    private static final Path MADLAD_VALUES = Path.of("src", "test", "resources", "madlad-values.yaml");

    @Test
    void theChartLintsCleanly() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void everyServiceRunsAsAnUnprivilegedUserWithProbesAndItsDatabasePasswordFromASecret() {
        Manifests manifests = render(template -> template);

        for (String service : SERVICES) {
            Map<String, Object> pod = manifests.podSpec("Deployment", "moeys-" + service);
            assertThat(manifests.get("Service", "moeys-" + service)).as(service).isNotNull();
            assertThat(Manifests.path(pod, "securityContext", "runAsNonRoot")).as(service).isEqualTo(true);
            Map<String, Object> container = Manifests.container(pod);
            assertThat(Manifests.path(container, "securityContext", "readOnlyRootFilesystem")).as(service).isEqualTo(true);
            assertThat(container).as(service).containsKeys("livenessProbe", "readinessProbe", "startupProbe");
            assertThat(container.get("image")).as(service).asString().startsWith("registry.example.gov.kh/khmer-ai/");
            assertThat(Manifests.env(container)).as(service).filteredOn(variable -> variable.get("name").equals("SPRING_DATASOURCE_PASSWORD"))
                    .allSatisfy(variable -> assertThat(variable).doesNotContainKey("value").containsKey("valueFrom"));
        }
        assertThat(manifests.get("PodDisruptionBudget", "moeys-llm")).isNotNull();
        assertThat(manifests.get("NetworkPolicy", "moeys-llm")).isNotNull();
        assertThat(manifests.get("NetworkPolicy", "moeys-model-servers")).isNotNull();
    }

    @Test
    void theModelServersRunOnTheGpuNodePool() {
        Manifests manifests = render(template -> template);

        for (String server : List.of("sealion")) {
            Map<String, Object> pod = manifests.podSpec("Deployment", "moeys-model-" + server);
            assertThat(Manifests.path(pod, "nodeSelector")).as(server).isEqualTo(Map.of("nvidia.com/gpu.present", "true"));
            assertThat((List<?>) pod.get("tolerations")).as(server).singleElement().asInstanceOf(
                    MAP).containsEntry("key", "nvidia.com/gpu");
            Map<String, Object> container = Manifests.container(pod);
            assertThat(Manifests.path(container, "resources", "limits", "nvidia.com/gpu")).as(server).isEqualTo(1);
            assertThat(Manifests.path(container, "resources", "requests", "nvidia.com/gpu")).as(server).isEqualTo(1);
        }
    }

    @Test
    void theLlmAndTranslationServicesAreGivenTheirModelServersInOrderAsTheyBindThem() {
        Manifests manifests = render(template -> template.withValuesFile(MADLAD_VALUES));

        LlmProperties llm = environmentOf(manifests, "llm").bind("khmer-ai.llm", LlmProperties.class);
        assertThat(llm.servers()).extracting(ModelServer::name, ModelServer::alias, ModelServer::api)
                .containsExactly(tuple("sealion", "sealion", ModelServer.Api.CHAT));
        assertThat(llm.defaultModel()).isEqualTo("sealion");

        TranslationProperties translation = environmentOf(manifests, "translation").bind("khmer-ai.translation", TranslationProperties.class);
        assertThat(translation.servers()).extracting(ModelServer::name).containsExactly("madlad", "sealion");
        ModelServer madlad = translation.servers().getFirst();
        assertThat(madlad.api()).isEqualTo(ModelServer.Api.COMPLETIONS);
        assertThat(madlad.promptTemplate()).isEqualTo("<2{target}> {text}");
        assertThat(madlad.url()).hasToString("http://madlad.mt.svc:8080");
        assertThat(manifests.get("Deployment", "moeys-model-madlad")).as("served elsewhere, not deployed").isNull();
        assertThat(translation.defaultModel()).isEqualTo("translate");

        // a deployed server's url is the Service of a model server deployment serving that model under that name
        for (ModelServer server : List.of(llm.servers().getFirst(), translation.servers().getLast())) {
            URI url = server.url();
            assertThat(manifests.get("Service", url.getHost())).as(url.toString()).isNotNull();
            assertThat(url.getPort()).isEqualTo(8000);
            assertThat(Manifests.container(manifests.podSpec("Deployment", url.getHost())).get("args")).asInstanceOf(
                    LIST).containsSequence("--served-model-name", server.model());
        }
    }

    @Test
    void theGatewayReachesEachServiceAtItsServiceOverAConnectionPerReplica() {
        Manifests manifests = render(template -> template.set("services.llm.replicas", 3));
        ServiceEnvironment gateway = environmentOf(manifests, "gateway");

        for (String backend : List.of("segmentation", "llm", "translation", "audit")) {
            String address = gateway.get("KHMER_AI_GATEWAY_BACKENDS_" + backend.toUpperCase() + "_ADDRESS");
            Map<String, Object> service = manifests.get("Service", address.substring(0, address.indexOf(':')));
            assertThat(service).as(address).isNotNull();
            assertThat(Manifests.path(service, "spec", "ports")).asInstanceOf(LIST)
                    .anySatisfy(port -> assertThat(address).endsWith(":" + ((Map<?, ?>) port).get("port")));
        }
        assertThat(gateway.get("KHMER_AI_GATEWAY_BACKENDS_LLM_CONNECTIONS")).isEqualTo("3");
        assertThat(gateway.get("KHMER_AI_SECURITY_ISSUER_URI")).isEqualTo("https://keycloak.example.gov.kh/realms/khmer-ai");
    }

    @Test
    void aTranslationModelOfTheCompletionsApiIsRefusedForTheLlmService(@TempDir Path directory) throws IOException {
        Path values = Files.writeString(directory.resolve("values.yaml"), """
                modelServers:
                  - name: madlad
                    model: google/madlad400-3b-mt
                    api: completions
                    promptTemplate: "<2{target}> {text}"
                    url: http://madlad.mt.svc:8080
                    uses: [{service: llm, alias: translate}]
                """);

        assertThatThrownBy(() -> render(template -> template.withValuesFile(values)))
                .hasMessageContaining("model server madlad answers through the completions API; the llm service needs chat servers");
    }

    @Test
    void thePortalsReachTheRestEdgeThroughAnIngressWhenOneIsAsked() {
        assertThat(render(template -> template).get("Ingress", "moeys-gateway")).isNull();

        Map<String, Object> ingress = render(template -> template.set("ingress.enabled", true).set("ingress.tlsSecret", "ai-tls"))
                .get("Ingress", "moeys-gateway");

        assertThat(Manifests.path(ingress, "spec", "rules")).asInstanceOf(LIST).singleElement().satisfies(rule -> {
            assertThat(((Map<?, ?>) rule).get("host")).isEqualTo("ai.example.gov.kh");
            assertThat(rule.toString()).contains("path=/api").contains("name=moeys-gateway").contains("name=http");
        });
        assertThat(Manifests.path(ingress, "spec", "tls")).asInstanceOf(LIST).singleElement().asInstanceOf(MAP)
                .containsEntry("secretName", "ai-tls");
    }

    @Test
    void theAuditChainsKeyComesFromItsSecretWhenNamed() {
        Map<String, Object> pod = render(template -> template.set("audit.checkpointKeySecret", "khmer-ai-checkpoint-key"))
                .podSpec("Deployment", "moeys-audit");

        assertThat((List<?>) pod.get("volumes")).anySatisfy(volume -> assertThat(volume).isEqualTo(Map.of("name", "keys",
                "secret", Map.of("secretName", "khmer-ai-checkpoint-key"))));
    }

    private static ServiceEnvironment environmentOf(Manifests manifests, String service) {
        return ServiceEnvironment.ofContainer(Manifests.container(manifests.podSpec("Deployment", "moeys-" + service)));
    }

    /** The chart rendered as release "moeys", with what {@code settings} sets. */
    private static Manifests render(UnaryOperator<TemplateCommand> settings) {
        String rendered = settings.apply(new Helm(CHART).template().withName("moeys")).call();
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(rendered)) {
            if (document != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> manifest = (Map<String, Object>) document;
                documents.add(manifest);
            }
        }
        return new Manifests(documents);
    }
}
