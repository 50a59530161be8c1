package org.khmerai.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.khmerai.infrastructure.Cache;
import org.khmerai.infrastructure.KafkaBroker;
import org.khmerai.infrastructure.KeycloakServer;
import org.khmerai.infrastructure.PostgresServer;

/**
 * The whole platform on one machine without Docker: Keycloak, Kafka and PostgreSQL (real, started
 * here), then the segmentation service, the audit service and the gateway as separate processes.
 * {@code ./khmer-ai up} runs it on the architecture's ports; the end-to-end tests on free ones.
 * A JVM that exits with the stack still running (Ctrl-C, {@code kill}) stops it on its way out,
 * so no Keycloak or service process outlives the program that started it.
 */
public final class LocalStack implements AutoCloseable {

    static final String AUDIT_DATABASE = "khmer_ai_audit";
    static final String SEGMENTATION_DATABASE = "khmer_ai_segmentation";
    static final String TRANSLATION_DATABASE = "khmer_ai_translation";
    private static final Duration SERVICE_START = Duration.ofMinutes(3);

    private final StackPorts ports;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Thread stopOnExit = new Thread(this::stopOnExit, "stop-local-stack");
    private KeycloakServer keycloak;
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private String auditJdbcUrl;

    private LocalStack(StackPorts ports) {
        this.ports = ports;
    }

    /**
     * @param home     data and logs: {@code home/data}, {@code home/logs}
     * @param progress told what is happening, a line at a time
     */
    public static LocalStack start(Path home, StackPorts ports, Map<String, String> extraEnvironment,
                                   Consumer<String> progress) throws Exception {
        LocalStack stack = new LocalStack(ports);
        Runtime.getRuntime().addShutdownHook(stack.stopOnExit);
        try {
            stack.startAll(home, extraEnvironment, progress);
            return stack;
        } catch (Throwable failure) {
            stack.close();
            throw failure;
        }
    }

    private void startAll(Path home, Map<String, String> extraEnvironment, Consumer<String> progress) throws Exception {
        Path logs = Files.createDirectories(home.resolve("logs"));
        Path data = Files.createDirectories(home.resolve("data"));
        progress.accept("Keycloak: starting on 127.0.0.1:" + ports.keycloak() + " (first start unpacks it; log "
                + logs.resolve("keycloak.log") + ")");
        keycloak = KeycloakServer.launch(Cache.folder(), ports.keycloak(), ports.keycloakManagement(), logs.resolve("keycloak.log"));
        running.add(keycloak);
        progress.accept("PostgreSQL: starting on 127.0.0.1:" + ports.postgres());
        postgres = PostgresServer.start(data.resolve("postgres"), home.resolve("work").resolve("postgres"), ports.postgres());
        running.add(postgres);
        auditJdbcUrl = postgres.database(AUDIT_DATABASE);
        String segmentationJdbcUrl = postgres.database(SEGMENTATION_DATABASE);
        String translationJdbcUrl = postgres.database(TRANSLATION_DATABASE);
        progress.accept("Kafka: starting on 127.0.0.1:" + ports.kafka());
        kafka = KafkaBroker.start(data.resolve("kafka"), ports.kafka(), ports.kafkaController());
        running.add(kafka);

        Map<String, String> common = new HashMap<>(extraEnvironment);
        common.put("KHMER_AI_SECURITY_ISSUER_URI", "http://127.0.0.1:" + ports.keycloak() + "/realms/" + KeycloakServer.REALM);
        common.put("KHMER_AI_AUDIT_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        common.put("KHMER_AI_AUDIT_SPOOL_DIR", data.resolve("spool").toString());
        // local-development defaults of the embedded PostgreSQL, never used outside this machine
        common.put("SPRING_DATASOURCE_USERNAME", "postgres");
        common.put("SPRING_DATASOURCE_PASSWORD", "postgres");
        Properties jars = jars();

        progress.accept("segmentation service: starting on 127.0.0.1:" + ports.segmentation());
        ServiceProcess segmentation = service("segmentation", jars, logs, common, Map.of(
                "SPRING_GRPC_SERVER_PORT", String.valueOf(ports.segmentation()),
                "SPRING_DATASOURCE_URL", segmentationJdbcUrl));
        progress.accept("llm service: starting on 127.0.0.1:" + ports.llm() + " (model servers: khmer-ai.llm.servers, see README)");
        ServiceProcess llm = service("llm", jars, logs, common, Map.of(
                "SPRING_GRPC_SERVER_PORT", String.valueOf(ports.llm())));
        progress.accept("translation service: starting on 127.0.0.1:" + ports.translation()
                + " (model servers: khmer-ai.translation.servers, see README)");
        ServiceProcess translation = service("translation", jars, logs, common, Map.of(
                "SPRING_GRPC_SERVER_PORT", String.valueOf(ports.translation()),
                "SPRING_DATASOURCE_URL", translationJdbcUrl));
        progress.accept("audit service: starting on 127.0.0.1:" + ports.audit());
        ServiceProcess audit = service("audit", jars, logs, common, Map.of(
                "SPRING_GRPC_SERVER_PORT", String.valueOf(ports.audit()),
                "SPRING_DATASOURCE_URL", auditJdbcUrl,
                "KHMER_AI_CHAIN_SIGNING_KEY_FILE", checkpointKey(home).toString()));
        progress.accept("gateway: starting on 127.0.0.1:" + ports.gatewayHttp() + " (REST) and :" + ports.gatewayGrpc() + " (gRPC)");
        ServiceProcess gateway = service("gateway", jars, logs, common, Map.of(
                "SERVER_PORT", String.valueOf(ports.gatewayHttp()),
                "SPRING_GRPC_SERVER_PORT", String.valueOf(ports.gatewayGrpc()),
                "KHMER_AI_GATEWAY_BACKENDS_SEGMENTATION_ADDRESS", "127.0.0.1:" + ports.segmentation(),
                "KHMER_AI_GATEWAY_BACKENDS_LLM_ADDRESS", "127.0.0.1:" + ports.llm(),
                "KHMER_AI_GATEWAY_BACKENDS_TRANSLATION_ADDRESS", "127.0.0.1:" + ports.translation(),
                "KHMER_AI_GATEWAY_BACKENDS_AUDIT_ADDRESS", "127.0.0.1:" + ports.audit()));

        keycloak.awaitReady();
        progress.accept("Keycloak: ready, realm " + KeycloakServer.REALM + " imported");
        segmentation.awaitListening(SERVICE_START, ports.segmentation());
        progress.accept("segmentation service: ready");
        llm.awaitListening(SERVICE_START, ports.llm());
        progress.accept("llm service: ready");
        translation.awaitListening(SERVICE_START, ports.translation());
        progress.accept("translation service: ready");
        audit.awaitListening(SERVICE_START, ports.audit());
        progress.accept("audit service: ready");
        gateway.awaitListening(SERVICE_START, ports.gatewayHttp(), ports.gatewayGrpc());
        progress.accept("gateway: ready");
    }

    private ServiceProcess service(String name, Properties jars, Path logs, Map<String, String> common,
                                   Map<String, String> own) throws IOException {
        Map<String, String> environment = new HashMap<>(common);
        environment.putAll(own);
        ServiceProcess process = ServiceProcess.start(name, Path.of(jars.getProperty(name + ".jar")), environment,
                logs.resolve(name + ".log"));
        running.add(process);
        services.add(process);
        return process;
    }

    /** Where the audit service keeps the key it signs chain checkpoints with (created at its first start). */
    public static Path checkpointKey(Path home) {
        return home.resolve("data").resolve("audit").resolve("checkpoint.key");
    }

    public StackPorts ports() {
        return ports;
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Each service's process id, by service name, in the order they started. */
    public Map<String, Long> servicePids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        services.forEach(service -> pids.put(service.name(), service.pid()));
        return pids;
    }

    /** The audit database, where reviewers' records live. */
    public String auditJdbcUrl() {
        return auditJdbcUrl;
    }

    /** Stops the services first, then what they stand on. */
    @Override
    public synchronized void close() throws Exception {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: this may be the hook itself
        }
        List<AutoCloseable> stopping = new ArrayList<>(running);
        Collections.reverse(stopping);
        Exception failure = null;
        for (AutoCloseable part : stopping) {
            try {
                part.close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        running.clear();
        services.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private void stopOnExit() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("Stopping the local stack failed: " + e.getMessage());
        }
    }

    /** The services' runnable jars by {@code NAME.jar}, as the build recorded them. */
    static Properties jars() throws IOException {
        Properties jars = new Properties();
        try (InputStream in = LocalStack.class.getClassLoader().getResourceAsStream("local-stack.properties")) {
            if (in == null) {
                throw new IOException("local-stack.properties is missing; build with ./mvnw package");
            }
            jars.load(in);
        }
        return jars;
    }
}
